import { InspectorApiError } from './api-error.js';
import { MAX_API_VERSION } from './api-version.js';
import type { ResolvedBehaviour } from './behaviour.js';
import type { IntrospectionStore } from './introspection-store.js';
import { isNodeUuid, normalizeNodeUuid } from './node-uuid.js';
import type { Operation } from './routes.js';
import type { StatsRecorder } from './stats.js';
import { renderStatus, selfLink } from './wire-format.js';

/** A successful answer: JSON `body`, or an empty body when it is undefined. */
export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** What a handler needs besides the request itself. */
export interface HandlerContext {
  readonly store: IntrospectionStore;
  readonly stats: StatsRecorder;
  readonly behaviourOf: (uuid: string) => ResolvedBehaviour;
  /** Scheme, host and port the client used, without a trailing slash. */
  readonly urlRoot: string;
}

/** A request after routing. */
export interface RoutedRequest {
  readonly operation: Operation;
  /** The path parameter: a node id or an API version name. */
  readonly param: string;
  readonly query: URLSearchParams;
}

/** Inspector's `api_max_limit` default. */
const MAX_LIST_LIMIT = 1000;
const TRUE_STRINGS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

/** The node UUID of a request, or inspector's 400 when it is not one. */
export function nodeUuidOf(param: string): string {
  if (!isNodeUuid(param)) throw new InspectorApiError(400, 'Invalid UUID value');
  return normalizeNodeUuid(param);
}

function checkManageBoot(query: URLSearchParams): void {
  const value = query.get('manage_boot');
  if (value === null) return;
  const lowered = value.trim().toLowerCase();
  if (!TRUE_STRINGS.has(lowered) && !FALSE_STRINGS.has(lowered)) {
    throw new InspectorApiError(400, `Invalid boolean value for manage_boot: ${value}`);
  }
}

function parseLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return MAX_LIST_LIMIT;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    throw new InspectorApiError(400, `Bad request: invalid literal for int() with base 10: '${raw}'`);
  }
  // A limit of zero means the default limit.
  const limit = Number.parseInt(raw, 10) || MAX_LIST_LIMIT;
  if (limit < 0) throw new InspectorApiError(400, 'Bad request: Limit cannot be negative');
  if (limit > MAX_LIST_LIMIT) throw new InspectorApiError(400, `Bad request: Limit over ${MAX_LIST_LIMIT}`);
  return limit;
}

function listIntrospections(context: HandlerContext, query: URLSearchParams): ApiResponse {
  const limit = parseLimit(query);
  const marker = query.get('marker');
  let views = context.store.list();
  if (marker !== null) {
    if (!isNodeUuid(marker)) throw new InspectorApiError(400, 'Bad request: Marker not UUID-like');
    const index = views.findIndex((view) => view.uuid === normalizeNodeUuid(marker));
    if (index < 0) throw new InspectorApiError(404, `Node not found for marker: ${marker}`);
    views = views.slice(index + 1);
  }
  return {
    status: 200,
    body: { introspection: views.slice(0, limit).map((view) => renderStatus(view, context.urlRoot)) },
  };
}

function versionRoot(context: HandlerContext, version: string): ApiResponse {
  if (version !== 'v1') throw new InspectorApiError(404, `Version ${version} not found.`);
  return {
    status: 200,
    body: {
      resources: ['introspection', 'continue', 'rules'].map((name) => ({
        links: [selfLink(context.urlRoot, `v1/${name}`)],
        name,
      })),
    },
  };
}

/** Serves one routed request against the simulated inspector; throws {@link InspectorApiError} for error answers. */
export function handle(context: HandlerContext, request: RoutedRequest): ApiResponse {
  switch (request.operation) {
    case 'apiRoot':
      return {
        status: 200,
        body: {
          versions: [{ id: MAX_API_VERSION, links: [selfLink(context.urlRoot, 'v1')], status: 'CURRENT' }],
        },
      };
    case 'versionRoot':
      return versionRoot(context, request.param);
    case 'listIntrospections':
      return listIntrospections(context, request.query);
    case 'getStatus': {
      const uuid = nodeUuidOf(request.param);
      return { status: 200, body: renderStatus(context.store.status(uuid), context.urlRoot) };
    }
    case 'startIntrospection': {
      const uuid = nodeUuidOf(request.param);
      checkManageBoot(request.query);
      context.store.start(uuid, context.behaviourOf(uuid));
      context.stats.introspectionStarted();
      return { status: 202 };
    }
    case 'abortIntrospection': {
      const uuid = nodeUuidOf(request.param);
      const outcome = context.store.abort(uuid, context.behaviourOf(uuid).abortDurationMs);
      if (outcome === 'aborting') context.stats.introspectionAborted();
      return { status: 202 };
    }
    case 'getData': {
      const uuid = nodeUuidOf(request.param);
      return { status: 200, body: context.store.data(uuid) };
    }
  }
}
