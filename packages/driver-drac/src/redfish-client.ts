import type { Dispatcher } from 'undici';
import type { RedfishEndpoint } from './driver-info.js';
import {
  BmcUnreachable,
  RedfishAuthError,
  RedfishError,
  type RedfishExtendedInfo,
  UnexpectedRedfishResponse,
} from './errors.js';
import type { RequestLimiter } from './request-limiter.js';

/** A JSON object as a Redfish service returns it. */
export type RedfishResource = Record<string, unknown>;

/** What a request answered: the status, the `Location` header (for 202 jobs) and the JSON body if any. */
export interface RedfishReply {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: RedfishResource | undefined;
}

/** What a `RedfishClient` is built from. */
export interface RedfishClientOptions {
  readonly endpoint: RedfishEndpoint;
  /** The HTTP client (the conductor's undici dispatcher). */
  readonly dispatcher: Dispatcher;
  /** Every request waits for a slot here first. */
  readonly limiter: RequestLimiter;
  /** How long one request may take (headers, then body), in ms. */
  readonly timeoutMs: number;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function extendedInfoOf(body: unknown): RedfishExtendedInfo[] {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return [];
  const info = (error as Record<string, unknown>)['@Message.ExtendedInfo'];
  if (!Array.isArray(info)) return [];
  return info.filter((entry): entry is RedfishExtendedInfo => typeof entry === 'object' && entry !== null);
}

function bmcMessageOf(body: unknown, info: readonly RedfishExtendedInfo[]): string {
  const messages = info.flatMap((entry) => (typeof entry.Message === 'string' ? [entry.Message] : []));
  if (messages.length > 0) return messages.join(' ');
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  return typeof error?.message === 'string' ? error.message : '';
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}

/**
 * A small Redfish client for one BMC (what sushy's connector does for Ironic): HTTP Basic auth, JSON,
 * and Redfish error bodies turned into `RedfishError` with the BMC's `@Message.ExtendedInfo` text.
 * Every request goes through the shared `RequestLimiter`, keyed by the BMC's address.
 */
export class RedfishClient {
  readonly endpoint: RedfishEndpoint;
  readonly #dispatcher: Dispatcher;
  readonly #limiter: RequestLimiter;
  readonly #timeoutMs: number;
  readonly #authorization: string;

  constructor(options: RedfishClientOptions) {
    this.endpoint = options.endpoint;
    this.#dispatcher = options.dispatcher;
    this.#limiter = options.limiter;
    this.#timeoutMs = options.timeoutMs;
    const credentials = `${options.endpoint.username}:${options.endpoint.password}`;
    this.#authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }

  /** Reads a resource; rejects unless the BMC answers 200 with a JSON object. */
  async get(path: string): Promise<RedfishResource> {
    const reply = await this.request('GET', path);
    if (!reply.body) {
      throw new UnexpectedRedfishResponse(
        `Redfish GET ${path} on the BMC at ${this.endpoint.address} returned no JSON resource`,
      );
    }
    return reply.body;
  }

  /** Posts a JSON body (an action, or a new member of a collection). */
  post(path: string, body: RedfishResource): Promise<RedfishReply> {
    return this.request('POST', path, body);
  }

  /** Deletes a resource. */
  delete(path: string): Promise<RedfishReply> {
    return this.request('DELETE', path);
  }

  /** One request under the limiter; any status of 400 or more rejects with a `RedfishError`. */
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: RedfishResource,
  ): Promise<RedfishReply> {
    return this.#limiter.run(this.endpoint.address, () => this.#send(method, path, body));
  }

  async #send(
    method: Dispatcher.HttpMethod,
    path: string,
    body: RedfishResource | undefined,
  ): Promise<RedfishReply> {
    const { address } = this.endpoint;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: this.#authorization,
      'odata-version': '4.0',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await this.#dispatcher.request({
        origin: address,
        path,
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      text = await response.body.text();
    } catch (error) {
      throw new BmcUnreachable(address, describeCause(error), { cause: error });
    }
    const parsed = this.#parse(method, path, response.statusCode, text);
    const location = headerValue(response.headers.location);
    if (response.statusCode >= 400) {
      const info = extendedInfoOf(parsed);
      const message = bmcMessageOf(parsed, info);
      if (response.statusCode === 401) {
        throw new RedfishAuthError(address, method, path, this.endpoint.username, message, info);
      }
      throw new RedfishError(address, method, path, response.statusCode, message, info);
    }
    const resource =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as RedfishResource)
        : undefined;
    return { status: response.statusCode, location, body: resource };
  }

  #parse(method: string, path: string, status: number, text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // An error page in HTML is still an error; only a success needs a readable body.
      if (status >= 400) return undefined;
      throw new UnexpectedRedfishResponse(
        `Redfish ${method} ${path} on the BMC at ${this.endpoint.address} answered HTTP ${status} with a body that is not JSON`,
      );
    }
  }
}
