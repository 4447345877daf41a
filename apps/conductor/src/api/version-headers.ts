import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sendRoutingError } from './ironic-errors.js';
import {
  type ApiVersion,
  formatVersion,
  MAX_API_VERSION,
  MIN_API_VERSION,
  maxVersion,
  negotiateVersion,
  VERSION_HEADER,
} from './versions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The minor API version the request negotiated (`x` of `1.x`). */
    apiMinor: number;
  }
}

/**
 * Adds Ironic's headers to every response: both microversion bounds (ironicclient needs them to
 * negotiate), the negotiated version under `/v1`, and an `Openstack-Request-Id`. An unsupported version
 * is refused with 406 before any route runs; the negotiated one is `request.apiMinor`.
 */
export function installVersionHeaders(app: FastifyInstance): void {
  app.decorateRequest('apiMinor', 0);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Openstack-Request-Id', `req-${randomUUID()}`);
    reply.header('X-OpenStack-Ironic-API-Minimum-Version', MIN_API_VERSION);
    reply.header('X-OpenStack-Ironic-API-Maximum-Version', MAX_API_VERSION);
    request.apiMinor = maxVersion().minor;
    if (request.url !== '/v1' && !request.url.startsWith('/v1/') && !request.url.startsWith('/v1?')) return;
    const requested = request.headers[VERSION_HEADER];
    let version: ApiVersion;
    try {
      version = negotiateVersion(Array.isArray(requested) ? requested[0] : requested);
    } catch (error) {
      // Ironic refuses a version before any route, with its web framework's error body.
      return sendRoutingError(reply, 406, (error as Error).message);
    }
    request.apiMinor = version.minor;
    reply.header('X-OpenStack-Ironic-API-Version', formatVersion(version));
  });
}
