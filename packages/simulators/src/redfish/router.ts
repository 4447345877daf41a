import { messages, RedfishHttpError } from './messages.js';
import { ROOT_URI, SESSIONS_URI } from './paths.js';
import type { RedfishRequest, RedfishResponse, Route, RouteContext } from './route-kit.js';
import { notFound } from './route-kit.js';
import { managerRoutes } from './routes/manager-routes.js';
import { serviceRoutes } from './routes/service-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { storageRoutes } from './routes/storage-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { taskRoutes } from './routes/task-routes.js';

export type { RedfishRequest, RedfishResponse, RouteContext } from './route-kit.js';

const ROUTES: readonly Route[] = [
  ...serviceRoutes,
  ...sessionRoutes,
  ...taskRoutes,
  ...systemRoutes,
  ...storageRoutes,
  ...managerRoutes,
];

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
    const match = findRoute(request.path);
    if (match === undefined) throw notFound(request.path);
    const handler = match.route.methods[request.method];
    if (handler === undefined) {
      return {
        status: 405,
        headers: { Allow: Object.keys(match.route.methods).join(', ') },
        body: new RedfishHttpError(405, [messages.methodNotAllowed()]).body(),
      };
    }
    return handler(request, context, match.param);
  } catch (error) {
    if (error instanceof RedfishHttpError) return { status: error.status, body: error.body() };
    throw error;
  }
}

/**
 * What a client may do without credentials: read the version document and the service root (as Redfish
 * requires), and log in by creating a session.
 */
export function isPublicPath(method: string, path: string): boolean {
  if (method === 'GET') return path === '/redfish' || path === ROOT_URI;
  return method === 'POST' && path === SESSIONS_URI;
}
