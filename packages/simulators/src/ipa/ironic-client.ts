import { type Dispatcher, request } from 'undici';

/** An Ironic API version as (major, minor). */
type ApiVersion = readonly [number, number];

/** What IPA falls back to when `GET /` fails; Ironic refuses heartbeats at this version. */
const MIN_IRONIC_VERSION: ApiVersion = [1, 31];
/** From here heartbeats carry `agent_version`. */
const AGENT_VERSION_IRONIC_VERSION: ApiVersion = [1, 36];
/** From here heartbeats carry `agent_token`; lookups never ask for more. */
const AGENT_TOKEN_IRONIC_VERSION: ApiVersion = [1, 62];
/** The highest version IPA knows; heartbeats ask for up to this. */
const MAX_KNOWN_VERSION: ApiVersion = [1, 68];

/** The parts of a lookup answer the agent uses. */
export interface LookupContent {
  readonly node: { readonly uuid: string } & Record<string, unknown>;
  readonly config: { readonly heartbeat_timeout?: unknown; readonly agent_token?: unknown } & Record<
    string,
    unknown
  >;
}

/** One lookup attempt: the content on a usable 200, else why not. */
export type LookupAttempt =
  | { readonly ok: true; readonly status: 200; readonly content: LookupContent }
  | { readonly ok: false; readonly status: number | null; readonly reason: string };

/** One heartbeat: accepted only on 202. */
export interface HeartbeatAttempt {
  readonly status: number | null;
  readonly accepted: boolean;
  readonly error: string | null;
}

/** Settings of one agent process's Ironic client. */
export interface IronicClientOptions {
  readonly ironicUrl: string;
  readonly dispatcher: Dispatcher;
  /** Real time, not the injected clock: a fake clock jumping ahead must not abort requests in flight. */
  readonly timeoutMs: number;
  /** Aborted when the ramdisk goes away: every request in flight is dropped. */
  readonly signal: AbortSignal;
}

/**
 * IPA's `ironic_api_client.APIClient`: discovers Ironic's version once (retrying discovery until it
 * succeeds, as IPA does not cache its fallback), then looks up and heartbeats with the version headers
 * the real agent sends.
 */
export class IronicClient {
  private discovered: ApiVersion | null = null;
  private readonly apiUrl: string;

  constructor(private readonly options: IronicClientOptions) {
    this.apiUrl = options.ironicUrl.replace(/\/+$/, '');
  }

  /** `GET /v1/lookup?addresses=…&node_uuid=…` with version min(Ironic's, 1.62). */
  async lookup(macs: readonly string[], nodeUuid: string): Promise<LookupAttempt> {
    const version = minVersion(await this.apiVersion(), AGENT_TOKEN_IRONIC_VERSION);
    const query = new URLSearchParams({ addresses: macs.join(','), node_uuid: nodeUuid });
    let response: RawResponse;
    try {
      response = await this.send('GET', `/v1/lookup?${query}`, version);
    } catch (error) {
      return { ok: false, status: null, reason: describe(error) };
    }
    if (response.status !== 200) {
      return { ok: false, status: response.status, reason: errorFromResponse(response) };
    }
    const content = parseJson(response.body);
    if (!isRecord(content) || !isRecord(content.node) || typeof content.node.uuid !== 'string') {
      return { ok: false, status: 200, reason: `Got invalid node data in response: ${response.body}` };
    }
    // Pre-config Ironic put heartbeat_timeout at the top level.
    const config = isRecord(content.config)
      ? content.config
      : 'heartbeat_timeout' in content
        ? { heartbeat_timeout: content.heartbeat_timeout }
        : null;
    if (config === null) {
      return { ok: false, status: 200, reason: `Got invalid heartbeat from the API: ${response.body}` };
    }
    return { ok: true, status: 200, content: { node: content.node as LookupContent['node'], config } };
  }

  /**
   * `POST /v1/heartbeat/{uuid}` with version min(Ironic's, 1.68); `agent_token` and `agent_version`
   * only when Ironic is new enough to take them, exactly like IPA.
   */
  async heartbeat(
    nodeUuid: string,
    fields: { callbackUrl: string; agentToken: string | null; agentVersion: string },
  ): Promise<HeartbeatAttempt> {
    const ironicVersion = await this.apiVersion();
    const body: Record<string, unknown> = { callback_url: fields.callbackUrl };
    if (compareVersions(ironicVersion, AGENT_TOKEN_IRONIC_VERSION) >= 0) body.agent_token = fields.agentToken;
    if (compareVersions(ironicVersion, AGENT_VERSION_IRONIC_VERSION) >= 0) {
      body.agent_version = fields.agentVersion;
    }
    const version = minVersion(ironicVersion, MAX_KNOWN_VERSION);
    let response: RawResponse;
    try {
      response = await this.send('POST', `/v1/heartbeat/${encodeURIComponent(nodeUuid)}`, version, body);
    } catch (error) {
      return { status: null, accepted: false, error: describe(error) };
    }
    if (response.status === 202) return { status: 202, accepted: true, error: null };
    return { status: response.status, accepted: false, error: errorFromResponse(response) };
  }

  private async apiVersion(): Promise<ApiVersion> {
    if (this.discovered) return this.discovered;
    try {
      const response = await this.send('GET', '/', null);
      const root = parseJson(response.body);
      const text =
        isRecord(root) && isRecord(root.default_version) ? root.default_version.version : undefined;
      const match = typeof text === 'string' ? /^(\d+)\.(\d+)$/.exec(text) : null;
      if (!match) return MIN_IRONIC_VERSION;
      this.discovered = [Number(match[1]), Number(match[2])];
      return this.discovered;
    } catch {
      return MIN_IRONIC_VERSION;
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    version: ApiVersion | null,
    body?: unknown,
  ): Promise<RawResponse> {
    const { dispatcher, signal, timeoutMs } = this.options;
    signal.throwIfAborted();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (version) headers['x-openstack-ironic-api-version'] = `${version[0]}.${version[1]}`;
    const response = await request(`${this.apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const text = await response.body.text();
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      body: text,
      json: typeof contentType === 'string' && contentType.includes('application/json'),
    };
  }
}

interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly json: boolean;
}

/** IPA's `_error_from_response`: `Error <status>: <faultstring, unwrapping Ironic's error_message>`. */
function errorFromResponse(response: RawResponse): string {
  let text = response.body;
  const parsed = response.json ? parseJson(response.body) : undefined;
  if (isRecord(parsed)) {
    let inner: unknown = parsed.error_message ?? parsed;
    if (typeof inner === 'string') inner = parseJson(inner);
    if (isRecord(inner)) {
      const fault = inner.faultstring ?? inner.title;
      if (typeof fault === 'string' && fault) text = fault;
    }
  }
  return `Error ${response.status}: ${text}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareVersions(a: ApiVersion, b: ApiVersion): number {
  return a[0] - b[0] || a[1] - b[1];
}

function minVersion(a: ApiVersion, b: ApiVersion): ApiVersion {
  return compareVersions(a, b) <= 0 ? a : b;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
