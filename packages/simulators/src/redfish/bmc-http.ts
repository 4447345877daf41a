import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BmcState } from './bmc-state.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import type { BmcIdentity } from './identity.js';
import { errorBody, messages, type RedfishMessage } from './messages.js';
import { isPublicPath, type RedfishResponse, routeRequest } from './router.js';
import type { SessionStore } from './session-store.js';
import type { RedfishClock, RedfishLogger } from './types.js';

/** What the HTTP layer needs from the BMC it serves. */
export interface BmcHttpHost {
  readonly id: string;
  readonly gate: ConcurrencyGate;
  readonly state: BmcState;
  readonly identity: BmcIdentity;
  readonly clock: RedfishClock;
  readonly logger: RedfishLogger | undefined;
  readonly username: string;
  readonly password: string;
  /** Undefined when the BMC has no SessionService. */
  readonly sessions: SessionStore | undefined;
  readonly unreachable: boolean;
  readonly serverError: boolean;
  readonly responseDelayMs: number;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Seconds a busy iDRAC tells clients to wait. */
const RETRY_AFTER_SECONDS = 1;

const JSON_HEADERS = {
  'Content-Type': 'application/json;odata.metadata=minimal;charset=utf-8',
  'OData-Version': '4.0',
};

function errorResponse(
  status: number,
  message: RedfishMessage,
  headers: Record<string, string> = {},
): RedfishResponse {
  return { status, headers, body: errorBody([message]) };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A valid session token (`X-Auth-Token`, which keeps the session alive), or valid Basic credentials. */
function authorised(request: IncomingMessage, host: BmcHttpHost): boolean {
  const token = header(request, 'x-auth-token');
  if (token !== undefined && host.sessions?.authenticate(token) !== undefined) return true;
  const basic = header(request, 'authorization');
  if (basic === undefined || !/^basic /i.test(basic)) return false;
  const decoded = Buffer.from(basic.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (
    colon >= 0 && decoded.slice(0, colon) === host.username && decoded.slice(colon + 1) === host.password
  );
}

/** Decodes each segment (clients may send `%3A` for the `:` in FQDDs) and drops a trailing slash. */
function normalisePath(pathname: string): string {
  const decoded = pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
  return decoded.length > 1 ? decoded.replace(/\/+$/, '') : decoded;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: RedfishResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body === undefined) {
    response.writeHead(answer.status, { ...headers, 'Content-Length': '0' });
    response.end();
    return;
  }
  const payload = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...JSON_HEADERS,
    ...headers,
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  response.end(payload);
}

async function answer(host: BmcHttpHost, request: IncomingMessage): Promise<RedfishResponse> {
  const rawBody = await readBody(request);
  if (host.responseDelayMs > 0) await sleep(host.responseDelayMs);
  if (host.serverError) return errorResponse(500, messages.internalError());
  const url = new URL(request.url ?? '/', 'http://bmc.invalid');
  const method = request.method ?? 'GET';
  const path = normalisePath(url.pathname);
  // Without a SessionService, creating a session is no public operation: it is an unknown resource.
  const open = isPublicPath(method, path) && (host.sessions !== undefined || method === 'GET');
  if (!open && !authorised(request, host)) {
    return errorResponse(401, messages.authenticationFailed(), {
      'WWW-Authenticate': 'Basic realm="RedfishService"',
    });
  }
  return routeRequest(
    { method, path, query: url.searchParams, rawBody },
    {
      state: host.state,
      identity: host.identity,
      now: host.clock.now(),
      sessions: host.sessions,
      username: host.username,
      password: host.password,
    },
  );
}

/**
 * Serves one HTTP request the way an iDRAC does: a dropped connection when unreachable, 503 when
 * too many requests are already being served, 500 when told to fail, 401 without valid Basic
 * credentials, otherwise the Redfish resource.
 */
export function handleBmcRequest(
  host: BmcHttpHost,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  if (host.unreachable) {
    request.socket.destroy();
    return;
  }
  const method = request.method ?? 'GET';
  const path = normalisePath(new URL(request.url ?? '/', 'http://bmc.invalid').pathname);
  host.state.events.emit('received', method, path);
  if (!host.gate.tryEnter(`${method} ${path}`)) {
    request.resume();
    send(
      response,
      errorResponse(503, messages.serviceTemporarilyUnavailable(RETRY_AFTER_SECONDS), {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      }),
    );
    return;
  }
  let released = false;
  const release = () => {
    if (!released) {
      released = true;
      host.gate.leave();
    }
  };
  response.on('close', release);
  answer(host, request)
    .then((result) => {
      host.logger?.debug(
        { bmc: host.id, method: request.method, url: request.url, status: result.status },
        'redfish request',
      );
      if (!response.destroyed) send(response, result);
      host.state.events.emit('request', method, path, result.status);
    })
    .catch((error: unknown) => {
      host.logger?.warn({ bmc: host.id, url: request.url, err: error }, 'redfish request failed');
      if (!response.destroyed && !response.headersSent)
        send(response, errorResponse(500, messages.internalError()));
    })
    .finally(release);
}
