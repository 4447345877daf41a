import type { FastifyInstance } from 'fastify';
import {
  formatVersion,
  MAX_API_VERSION,
  MIN_API_VERSION,
  negotiateVersion,
  VERSION_HEADER,
} from './versions.js';

/**
 * Adds Ironic's microversion headers to every response (ironicclient needs both bounds to negotiate),
 * and refuses an unsupported version under `/v1` with 406 before any route runs.
 */
export function installVersionHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-OpenStack-Ironic-API-Minimum-Version', MIN_API_VERSION);
    reply.header('X-OpenStack-Ironic-API-Maximum-Version', MAX_API_VERSION);
    if (request.url !== '/v1' && !request.url.startsWith('/v1/') && !request.url.startsWith('/v1?')) return;
    const requested = request.headers[VERSION_HEADER];
    const version = negotiateVersion(Array.isArray(requested) ? requested[0] : requested);
    reply.header('X-OpenStack-Ironic-API-Version', formatVersion(version));
  });
}
