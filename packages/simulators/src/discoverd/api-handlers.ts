import { InspectorApiError } from './api-error.js';
import { MAX_API_VERSION } from './api-version.js';
import type { ResolvedBehaviour } from './behaviour.js';
import type { IntrospectionStore } from './introspection-store.js';
import { type IronicNodes, VALID_STATES } from './ironic-nodes.js';
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
  /** Where nodes are looked up, as inspector looks them up in Ironic. */
  readonly ironic: IronicNodes;
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

/** inspector's 404 for a node Ironic does not know. */
function notInIronic(ident: string): InspectorApiError {
  return new InspectorApiError(404, `Node ${ident} was not found in Ironic`);
}

/** The node UUID of a request: a UUID as it is, a name looked up in Ironic (404 when Ironic has none). */
async function nodeUuidOf(context: HandlerContext, param: string): Promise<string> {
  if (isNodeUuid(param)) return normalizeNodeUuid(param);
  const node = await context.ironic.get(param);
  if (!node) throw notInIronic(param);
  return normalizeNodeUuid(node.uuid);
}

/** Python's `repr` of a list of strings, as inspector's messages print `VALID_STATES`. */
function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/** inspector's `introspect`: the node must exist in Ironic, in a state introspection may start from. */
async function startIntrospection(context: HandlerContext, request: RoutedRequest): Promise<ApiResponse> {
  checkManageBoot(request.query);
  const node = await context.ironic.get(request.param);
  if (!node) throw notInIronic(request.param);
  const state = node.provision_state.toLowerCase();
  if (!(VALID_STATES as readonly string[]).includes(state)) {
    throw new InspectorApiError(
      400,
      `Invalid provision state for introspection: "${state}", valid states are "${pythonList(VALID_STATES)}"`,
    );
  }
  const uuid = normalizeNodeUuid(node.uuid);
  context.store.start(uuid, context.behaviourOf(uuid));
  context.stats.introspectionStarted();
  return { status: 202, body: {} };
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
      resources: ['continue', 'introspection', 'rules'].map((name) => ({
        links: [selfLink(context.urlRoot, `v1/${name}`)],
        name,
      })),
    },
  };
}

/** Serves one routed request against the simulated inspector; throws {@link InspectorApiError} for error answers. */
export async function handle(context: HandlerContext, request: RoutedRequest): Promise<ApiResponse> {
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
      const uuid = await nodeUuidOf(context, request.param);
      return { status: 200, body: renderStatus(context.store.status(uuid), context.urlRoot) };
    }
    case 'startIntrospection':
      return startIntrospection(context, request);
    case 'abortIntrospection': {
      const uuid = await nodeUuidOf(context, request.param);
      const outcome = context.store.abort(uuid, context.behaviourOf(uuid).abortDurationMs);
      if (outcome === 'aborting') context.stats.introspectionAborted();
      return { status: 202, body: {} };
    }
    case 'getData': {
      const uuid = await nodeUuidOf(context, request.param);
      return { status: 200, body: context.store.data(uuid) };
    }
  }
}
