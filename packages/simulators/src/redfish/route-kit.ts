import type { BmcState } from './bmc-state.js';
import type { BmcIdentity } from './identity.js';
import { messages, RedfishHttpError } from './messages.js';
import type { SessionStore } from './session-store.js';

/** A request as the router sees it: path already normalised, body still raw. */
export interface RedfishRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly rawBody: string;
}

/** What to answer; `body` undefined means no body. */
export interface RedfishResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** What a handler can reach. */
export interface RouteContext {
  readonly state: BmcState;
  readonly identity: BmcIdentity;
  readonly now: number;
  /** The SessionService's sessions; undefined when the BMC has none (clients must use HTTP Basic). */
  readonly sessions: SessionStore | undefined;
  /** The BMC's one user. */
  readonly username: string;
  readonly password: string;
}

/** Answers one request; `param` is the last path segment of a parameterised route. */
export type Handler = (request: RedfishRequest, context: RouteContext, param: string) => RedfishResponse;

/** A resource path and the methods it serves. */
export interface Route {
  /** Exact path, or a prefix ending in `/` whose remaining single segment is the parameter. */
  readonly path: string;
  readonly parameterised: boolean;
  readonly methods: Readonly<Record<string, Handler>>;
}

/** A 200 with a JSON body. */
export const ok = (body: unknown): RedfishResponse => ({ status: 200, body });

/** Redfish's 404 for `uri`. */
export function notFound(uri: string): RedfishHttpError {
  return new RedfishHttpError(404, [messages.resourceMissingAtUri(uri)]);
}

/** A 200 with `body`, or a 404 when there is no such resource. */
export function found(body: unknown, uri: string): RedfishResponse {
  if (body === undefined) throw notFound(uri);
  return ok(body);
}

/** The request's JSON body; 400 `MalformedJSON` when it does not parse. */
export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new RedfishHttpError(400, [messages.malformedJson()]);
  }
}

/** An exact route. */
export function at(path: string, methods: Route['methods']): Route {
  return { path, parameterised: false, methods };
}

/** A route for every member `${collection}/{id}`. */
export function under(collection: string, methods: Route['methods']): Route {
  return { path: `${collection}/`, parameterised: true, methods };
}
