import { messages, RedfishHttpError } from '../messages.js';
import { SESSION_SERVICE_URI, SESSIONS_URI, sessionUri } from '../paths.js';
import { session, sessionCollection, sessionService } from '../resources/sessions.js';
import { at, notFound, ok, parseJson, type Route, type RouteContext, under } from '../route-kit.js';
import type { SessionStore } from '../session-store.js';

function store(context: RouteContext, path: string): SessionStore {
  if (context.sessions === undefined) throw notFound(path);
  return context.sessions;
}

function field(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined) throw new RedfishHttpError(400, [messages.propertyMissing(name)]);
  if (typeof value !== 'string') {
    throw new RedfishHttpError(400, [messages.propertyValueTypeError(JSON.stringify(value), name)]);
  }
  return value;
}

/** DMTF's SessionService: `POST` the credentials for an `X-Auth-Token`, `DELETE` the session to log out. */
export const sessionRoutes: readonly Route[] = [
  at(SESSION_SERVICE_URI, {
    GET: (request, context) => ok(sessionService(store(context, request.path).timeoutMs / 1000)),
  }),
  at(SESSIONS_URI, {
    GET: (request, context) => ok(sessionCollection(store(context, request.path).list())),
    POST: (request, context) => {
      const sessions = store(context, request.path);
      const body = parseJson(request.rawBody);
      const username = field(body, 'UserName');
      const password = field(body, 'Password');
      if (username !== context.username || password !== context.password) {
        throw new RedfishHttpError(401, [messages.authenticationFailed()]);
      }
      const created = sessions.create(username);
      return {
        status: 201,
        headers: { 'X-Auth-Token': created.token, Location: sessionUri(created.id) },
        body: session(created),
      };
    },
  }),
  under(SESSIONS_URI, {
    GET: (request, context, id) => {
      const found = store(context, request.path).get(id);
      if (found === undefined) throw notFound(request.path);
      return ok(session(found));
    },
    DELETE: (request, context, id) => {
      if (!store(context, request.path).delete(id)) throw notFound(request.path);
      return { status: 204 };
    },
  }),
];
