import { Semaphore } from 'async-mutex';
import { type Dispatcher, request } from 'undici';
import {
  DiscoverdError,
  DiscoverdInvalidResponse,
  DiscoverdNodeNotFound,
  DiscoverdNodeNotInIronic,
  DiscoverdUnreachable,
} from './errors.js';

/** What `new DiscoverdClient(...)` needs. */
export interface DiscoverdClientOptions {
  /** Discoverd's base URL without a trailing slash; the API lives under `${url}/v1`. */
  url: string;
  /** The HTTP client (the conductor's undici dispatcher). */
  http: Dispatcher;
  /** How long one request may wait for the answer's headers, then for its body (ms). */
  requestTimeoutMs: number;
  /** At most this many requests in flight at once, across every caller of this client. */
  maxConcurrentRequests: number;
}

/** Per-call options. */
export interface DiscoverdCallOptions {
  /** Abandons the request (e.g. when the conductor stops). */
  signal?: AbortSignal;
}

/** `GET /v1/introspection/{node_id}`: the fields this driver reads. */
export interface IntrospectionStatus {
  /** Whether introspection ended (successfully or not). */
  finished: boolean;
  /** Why it failed, or null. */
  error: string | null;
  /** Inspector's state (`starting`, `waiting`, `processing`, `finished`, `error`, ...); API ≥ 1.11. */
  state?: string;
  started_at?: string | null;
  finished_at?: string | null;
}

/** `GET /v1/introspection/{node_id}/data`: processed introspection data, a JSON object. */
export type IntrospectionData = Record<string, unknown>;

interface Answer {
  status: number;
  body: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Inspector's error text: `{"error": {"message": ...}}`, else the raw body, else the status. */
function errorMessageOf(answer: Answer): string {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === 'string') {
      return parsed.error.message;
    }
  } catch {
    // Not JSON: a proxy's or a web server's page; show what it said.
  }
  return answer.body.trim().slice(0, 200) || `HTTP ${answer.status}`;
}

function networkReason(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  if (error instanceof Error) return error.message || String(code ?? error.name);
  return String(error);
}

/**
 * A client of discoverd's (ironic-inspector's) v1 API: start, status, data, abort. Every request, whoever
 * sends it, waits for one of `maxConcurrentRequests` slots, and for its answer at most `requestTimeoutMs`.
 */
export class DiscoverdClient {
  readonly url: string;
  readonly #http: Dispatcher;
  readonly #timeoutMs: number;
  readonly #slots: Semaphore;

  constructor(options: DiscoverdClientOptions) {
    if (!Number.isInteger(options.maxConcurrentRequests) || options.maxConcurrentRequests < 1) {
      throw new TypeError(
        `DiscoverdClient: maxConcurrentRequests must be an integer >= 1, got ${options.maxConcurrentRequests}`,
      );
    }
    if (!(options.requestTimeoutMs > 0)) {
      throw new TypeError(`DiscoverdClient: requestTimeoutMs must be > 0, got ${options.requestTimeoutMs}`);
    }
    this.url = options.url.replace(/\/+$/, '');
    this.#http = options.http;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#slots = new Semaphore(options.maxConcurrentRequests);
  }

  /**
   * `POST /v1/introspection/{node_id}` → 202: discoverd boots the node into its ramdisk. A 404 here means
   * discoverd's Ironic does not know the node: `DiscoverdNodeNotInIronic`.
   */
  async startIntrospection(node: string, options: DiscoverdCallOptions = {}): Promise<void> {
    const answer = await this.#call('POST', this.#nodePath(node), options);
    if (answer.status === 404) throw new DiscoverdNodeNotInIronic(node, errorMessageOf(answer));
    this.#expectSuccess(node, answer);
  }

  /** `GET /v1/introspection/{node_id}`: whether introspection finished, and its error. */
  async getStatus(node: string, options: DiscoverdCallOptions = {}): Promise<IntrospectionStatus> {
    const answer = await this.#call('GET', this.#nodePath(node), options);
    this.#expectSuccess(node, answer);
    const body = this.#json(answer);
    if (!isObject(body) || typeof body.finished !== 'boolean') {
      throw new DiscoverdInvalidResponse(`discoverd's status of node ${node} has no boolean "finished"`);
    }
    if (body.error !== null && body.error !== undefined && typeof body.error !== 'string') {
      throw new DiscoverdInvalidResponse(`discoverd's status of node ${node} has a non-string "error"`);
    }
    const status: IntrospectionStatus = { finished: body.finished, error: body.error ?? null };
    if (typeof body.state === 'string') status.state = body.state;
    if (typeof body.started_at === 'string' || body.started_at === null) status.started_at = body.started_at;
    if (typeof body.finished_at === 'string' || body.finished_at === null)
      status.finished_at = body.finished_at;
    return status;
  }

  /** `GET /v1/introspection/{node_id}/data`: the processed data of a finished introspection. */
  async getData(node: string, options: DiscoverdCallOptions = {}): Promise<IntrospectionData> {
    const answer = await this.#call('GET', `${this.#nodePath(node)}/data`, options);
    this.#expectSuccess(node, answer);
    const body = this.#json(answer);
    if (!isObject(body)) {
      throw new DiscoverdInvalidResponse(`discoverd's introspection data of node ${node} is not an object`);
    }
    return body;
  }

  /** `POST /v1/introspection/{node_id}/abort` → 202. */
  async abortIntrospection(node: string, options: DiscoverdCallOptions = {}): Promise<void> {
    const answer = await this.#call('POST', `${this.#nodePath(node)}/abort`, options);
    this.#expectSuccess(node, answer);
  }

  #nodePath(node: string): string {
    return `/v1/introspection/${encodeURIComponent(node)}`;
  }

  async #call(method: 'GET' | 'POST', path: string, options: DiscoverdCallOptions): Promise<Answer> {
    return this.#slots.runExclusive(async () => {
      options.signal?.throwIfAborted();
      try {
        const response = await request(`${this.url}${path}`, {
          method,
          dispatcher: this.#http,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
          headers: { accept: 'application/json' },
          ...(options.signal ? { signal: options.signal } : {}),
        });
        return { status: response.statusCode, body: await response.body.text() };
      } catch (error) {
        throw new DiscoverdUnreachable(this.url, networkReason(error, this.#timeoutMs), { cause: error });
      }
    });
  }

  #expectSuccess(node: string, answer: Answer): void {
    if (answer.status >= 200 && answer.status < 300) return;
    const message = errorMessageOf(answer);
    if (answer.status === 404) throw new DiscoverdNodeNotFound(node, message);
    throw new DiscoverdError(answer.status, message);
  }

  #json(answer: Answer): unknown {
    try {
      return JSON.parse(answer.body);
    } catch {
      throw new DiscoverdInvalidResponse(
        `discoverd answered HTTP ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 100)}`,
      );
    }
  }
}
