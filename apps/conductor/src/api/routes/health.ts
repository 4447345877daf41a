import type { ApiPlugin } from '../api-dependencies.js';

/** `GET /healthz` (200 when the database answers, else 503) and `GET /metrics` (Prometheus text). */
export const healthRoutes: ApiPlugin = async (app, deps) => {
  app.get('/healthz', async (request, reply) => {
    try {
      await deps.checkHealth();
      return { status: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable', reason: (error as Error).message });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.render();
    return reply.type(deps.metrics.contentType).send(text);
  });
};
