import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { isFromDatabase } from '../db/database-origin.js';
import {
  CONDUCTOR_FENCED_MESSAGE,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from '../db/database-unavailable.js';
import { ConductorFenced } from '../errors.js';
import type { ApiDependencies, ApiPlugin } from './api-dependencies.js';
import { type HttpBasicAuth, installHttpBasicAuth } from './auth/http-basic-auth.js';
import { answerClientError } from './client-errors.js';
import { type ApiError, sendIronicError, sendRoutingError, statusForError } from './ironic-errors.js';
import { parseJsonBody } from './json-body.js';
import { agentRoutes } from './routes/agent.js';
import { driverRoutes } from './routes/drivers.js';
import { healthRoutes } from './routes/health.js';
import { nodeMaintenanceRoutes } from './routes/node-maintenance.js';
import { nodeManagementRoutes } from './routes/node-management.js';
import { nodeStateRoutes } from './routes/node-states.js';
import { nodeTraitRoutes } from './routes/node-traits.js';
import { nodeValidateRoutes } from './routes/node-validate.js';
import { nodeRoutes } from './routes/nodes.js';
import { periodicTaskRoutes } from './routes/periodic-tasks.js';
import { portRoutes } from './routes/ports.js';
import { rootRoutes } from './routes/root.js';
import { vendorPassthruRoutes } from './routes/vendor-passthru.js';
import type { TlsFiles } from './tls-files.js';
import { checkUrlValues } from './url-values.js';
import { installVersionHeaders } from './version-headers.js';

/** Options of `buildApi`. */
export interface BuildApiOptions extends ApiDependencies {
  logger: Logger;
  /** More route plugins (e.g. lookup and heartbeat), registered with the same dependencies. */
  plugins?: readonly ApiPlugin[];
  /** `http_basic` authentication; none: every route is open (`noauth`). */
  auth?: HttpBasicAuth | undefined;
  /** Serve HTTPS with this certificate and key; none: plain HTTP. */
  tls?: TlsFiles | undefined;
}

/** The routes every conductor serves. */
export const CORE_ROUTES: readonly ApiPlugin[] = [
  rootRoutes,
  nodeRoutes,
  nodeStateRoutes,
  nodeMaintenanceRoutes,
  nodeValidateRoutes,
  nodeManagementRoutes,
  nodeTraitRoutes,
  vendorPassthruRoutes,
  portRoutes,
  driverRoutes,
  periodicTaskRoutes,
  healthRoutes,
  agentRoutes,
];

/**
 * The Ironic-compatible HTTP API: version negotiation headers, Ironic's error bodies, and the route
 * plugins. Not listening yet: call `listen()`, or `inject()` in tests.
 */
export async function buildApi(options: BuildApiOptions): Promise<FastifyInstance> {
  const { logger, plugins = [], auth, tls, ...deps } = options;
  const app = Fastify({
    loggerInstance: logger,
    return503OnClosing: true,
    // Malformed percent-encoding and the like: Ironic's error body, not Fastify's.
    frameworkErrors: (error, _request, reply) => {
      const statusCode = (error as { statusCode?: number }).statusCode ?? 400;
      sendIronicError(reply, statusCode, error.message);
    },
    // Errors Node's HTTP parser answers before any request exists (431: headers too large).
    clientErrorHandler: answerClientError,
    // ironicclient asks for lists as `GET /v1/nodes/?...`; Ironic (pecan) serves both spellings.
    routerOptions: { ignoreTrailingSlash: true },
    ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}),
  }) as unknown as FastifyInstance;

  // DELETE comes with `Content-Type: application/octet-stream` and no body (ironicclient does so).
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body.length === 0 ? undefined : body);
  });

  // ironicclient sends `Content-Type: application/json` with no body (adding a trait, for one): an
  // empty JSON body is no body. Some JSON Patch clients label their body as such; it is JSON all the same.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'application/json-patch+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        return done(null, parseJsonBody(text));
      } catch (error) {
        return done(error as ApiError, undefined);
      }
    },
  );
  // A path or query string the database could not store (a `%00`, say) is refused before any route runs.
  app.addHook('preValidation', async (request) => {
    checkUrlValues(request.params, 'path');
    checkUrlValues(request.query, 'query');
  });

  app.setErrorHandler((error, request, reply) => {
    // An outage is the server's and temporary: 503, and where the database is stays in the log.
    if (isFromDatabase(error) && isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'request failed: the database is unavailable');
      return sendIronicError(reply, 503, DATABASE_UNAVAILABLE_MESSAGE);
    }
    // Just after an outage, until this conductor has heartbeated again, it takes no node lock.
    if (error instanceof ConductorFenced) {
      request.log.warn({ err: error }, 'request refused: this conductor is fenced');
      return sendIronicError(reply, 503, CONDUCTOR_FENCED_MESSAGE);
    }
    const statusCode = statusForError(error);
    if (statusCode === undefined) {
      request.log.error({ err: error }, 'request failed');
      return sendIronicError(reply, 500, error instanceof Error ? error.message : String(error));
    }
    if ((error as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = request.headers['content-type'] ?? 'none';
      return sendIronicError(reply, statusCode, `Unsupported Content-Type "${type}": send application/json`);
    }
    return sendIronicError(reply, statusCode, error instanceof Error ? error.message : String(error));
  });
  // No route matches: Ironic's web framework answers with its own error body.
  app.setNotFoundHandler((_request, reply) => sendRoutingError(reply, 404));

  // Authentication first: as Ironic's middleware, it answers before version negotiation.
  if (auth) installHttpBasicAuth(app, auth);
  installVersionHeaders(app);
  for (const plugin of [...CORE_ROUTES, ...plugins]) await app.register(plugin, deps);
  return app;
}
