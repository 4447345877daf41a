import { type BmcState, isResetType } from './bmc-state.js';
import type { BmcIdentity } from './identity.js';
import { messages, RedfishHttpError } from './messages.js';
import {
  JOBS_URI,
  jobUri,
  MANAGER_URI,
  MANAGERS_URI,
  OEM_JOBS_URI,
  RESET_URI,
  ROOT_URI,
  STORAGE_COLLECTION_URI,
  STORAGE_URI,
  SYSTEM_URI,
  SYSTEMS_URI,
  TASKS_URI,
  VOLUMES_URI,
} from './paths.js';
import { dellJob, dellJobCollection, task } from './resources/jobs.js';
import {
  manager,
  managerCollection,
  serviceRoot,
  systemCollection,
  versionDocument,
} from './resources/service.js';
import { drive, storage, storageCollection, volume, volumeCollection } from './resources/storage.js';
import { computerSystem } from './resources/system.js';

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
}

type Handler = (request: RedfishRequest, context: RouteContext, param: string) => RedfishResponse;

interface Route {
  /** Exact path, or a prefix ending in `/` whose remaining single segment is the parameter. */
  readonly path: string;
  readonly parameterised: boolean;
  readonly methods: Readonly<Record<string, Handler>>;
}

const ok = (body: unknown): RedfishResponse => ({ status: 200, body });

function accepted(jobId: string): RedfishResponse {
  return { status: 202, headers: { Location: jobUri(jobId) } };
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new RedfishHttpError(400, [messages.malformedJson()]);
  }
}

function reset(request: RedfishRequest, context: RouteContext): RedfishResponse {
  const body = parseJson(request.rawBody);
  const action = 'ComputerSystem.Reset';
  const resetType =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).ResetType : undefined;
  if (resetType === undefined) {
    throw new RedfishHttpError(400, [messages.actionParameterMissing(action, 'ResetType')]);
  }
  if (!isResetType(resetType)) {
    const shown = typeof resetType === 'string' ? resetType : JSON.stringify(resetType);
    throw new RedfishHttpError(400, [messages.actionParameterNotInList(shown, 'ResetType', action)]);
  }
  context.state.reset(resetType);
  return { status: 204 };
}

function expandRequested(query: URLSearchParams): boolean {
  return query.has('$expand');
}

function jobRoutes(base: string): Route[] {
  return [
    {
      path: base,
      parameterised: false,
      methods: {
        GET: (request, { state }) =>
          ok(dellJobCollection(state.jobs(), base, expandRequested(request.query))),
      },
    },
    {
      path: `${base}/`,
      parameterised: true,
      methods: {
        GET: (_request, { state }, id) => {
          const job = state.job(id);
          if (job === undefined) throw notFound(jobUri(id, base));
          return ok(dellJob(job, base));
        },
      },
    },
  ];
}

function notFound(uri: string): RedfishHttpError {
  return new RedfishHttpError(404, [messages.resourceMissingAtUri(uri)]);
}

const ROUTES: readonly Route[] = [
  { path: '/redfish', parameterised: false, methods: { GET: () => ok(versionDocument()) } },
  { path: ROOT_URI, parameterised: false, methods: { GET: (_r, { identity }) => ok(serviceRoot(identity)) } },
  { path: SYSTEMS_URI, parameterised: false, methods: { GET: () => ok(systemCollection()) } },
  {
    path: SYSTEM_URI,
    parameterised: false,
    methods: { GET: (_r, { identity, state }) => ok(computerSystem(identity, state.powerState)) },
  },
  { path: RESET_URI, parameterised: false, methods: { POST: reset } },
  { path: STORAGE_COLLECTION_URI, parameterised: false, methods: { GET: () => ok(storageCollection()) } },
  { path: STORAGE_URI, parameterised: false, methods: { GET: (_r, { state }) => ok(storage(state.drives)) } },
  {
    path: `${STORAGE_URI}/Drives/`,
    parameterised: true,
    methods: {
      GET: (request, { state }, id) => {
        const found = state.drives.find((d) => d.id === id);
        if (found === undefined) throw notFound(request.path);
        return ok(drive(found, state.volumes()));
      },
    },
  },
  {
    path: VOLUMES_URI,
    parameterised: false,
    methods: {
      GET: (_r, { state }) => ok(volumeCollection(state.volumes())),
      POST: (request, { state }) => accepted(state.createVolume(parseJson(request.rawBody)).id),
    },
  },
  {
    path: `${VOLUMES_URI}/`,
    parameterised: true,
    methods: {
      GET: (request, { state }, id) => {
        const found = state.volume(id);
        if (found === undefined) throw notFound(request.path);
        return ok(volume(found));
      },
      DELETE: (_r, { state }, id) => accepted(state.deleteVolume(id).id),
    },
  },
  { path: MANAGERS_URI, parameterised: false, methods: { GET: () => ok(managerCollection()) } },
  {
    path: MANAGER_URI,
    parameterised: false,
    methods: { GET: (_r, { identity, now }) => ok(manager(identity, now)) },
  },
  ...jobRoutes(JOBS_URI),
  ...jobRoutes(OEM_JOBS_URI),
  {
    path: `${TASKS_URI}/`,
    parameterised: true,
    methods: {
      GET: (request, { state }, id) => {
        const job = state.job(id);
        if (job === undefined) throw notFound(request.path);
        return ok(task(job));
      },
    },
  },
];

/** Paths a client may read without credentials, as the Redfish specification requires. */
export function isPublicPath(method: string, path: string): boolean {
  return method === 'GET' && (path === '/redfish' || path === ROOT_URI);
}

function findRoute(path: string): { route: Route; param: string } | undefined {
  for (const route of ROUTES) {
    if (!route.parameterised && route.path === path) return { route, param: '' };
    if (route.parameterised && path.startsWith(route.path)) {
      const param = path.slice(route.path.length);
      if (param.length > 0 && !param.includes('/')) return { route, param };
    }
  }
  return undefined;
}

/** Answers one authenticated request against the BMC's state. */
export function routeRequest(request: RedfishRequest, context: RouteContext): RedfishResponse {
  try {
    const found = findRoute(request.path);
    if (found === undefined) throw notFound(request.path);
    const handler = found.route.methods[request.method];
    if (handler === undefined) {
      return {
        status: 405,
        headers: { Allow: Object.keys(found.route.methods).join(', ') },
        body: new RedfishHttpError(405, [messages.methodNotAllowed()]).body(),
      };
    }
    return handler(request, context, found.param);
  } catch (error) {
    if (error instanceof RedfishHttpError) return { status: error.status, body: error.body() };
    throw error;
  }
}
