import type { ApiPlugin } from '../api-dependencies.js';
import { resource } from '../routing.js';

/** `GET /healthz` (200 when the database answers, else 503) and `GET /metrics` (Prometheus text). */
export const healthRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/healthz', {
    GET: {
      handler: async (request, reply) => {
        try {
          await deps.checkHealth();
          return { status: 'ok' };
        } catch (error) {
          request.log.warn({ err: error }, 'health check failed');
          // The reason is for the log: a probe's caller learns nothing of the database's address.
          return reply.code(503).send({ status: 'unavailable', reason: 'the database does not answer' });
        }
      },
    },
  });

  resource(app, '/metrics', {
    GET: {
      handler: async (_request, reply) => {
        const text = await deps.metrics.render();
        return reply.type(deps.metrics.contentType).send(text);
      },
    },
  });
};
