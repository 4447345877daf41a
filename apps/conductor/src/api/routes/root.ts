import type { FastifyRequest } from 'fastify';
import type { ApiPlugin } from '../api-dependencies.js';
import { baseUrl } from '../api-dependencies.js';
import { links } from '../node-view.js';
import { resource } from '../routing.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../versions.js';

/** `GET /` and `GET /v1`: the version documents clients negotiate from. */
export const rootRoutes: ApiPlugin = async (app) => {
  const root = async (request: FastifyRequest) => {
    const version = {
      id: 'v1',
      links: [{ href: `${baseUrl(request)}/v1/`, rel: 'self' }],
      min_version: MIN_API_VERSION,
      status: 'CURRENT',
      version: MAX_API_VERSION,
    };
    return {
      name: 'OpenStack Ironic API',
      description:
        'Ironic is an OpenStack project which enables the provision and management of baremetal machines.',
      default_version: version,
      versions: [version],
    };
  };
  resource(app, '/', { GET: { handler: root } });

  const v1 = async (request: FastifyRequest) => {
    const base = baseUrl(request);
    return {
      id: 'v1',
      links: [
        { href: `${base}/v1/`, rel: 'self' },
        {
          href: 'https://docs.openstack.org/ironic/latest/contributor/webapi.html',
          rel: 'describedby',
          type: 'text/html',
        },
      ],
      media_types: [{ base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' }],
      nodes: links(base, 'nodes/'),
      ports: links(base, 'ports/'),
      drivers: links(base, 'drivers/'),
      lookup: links(base, 'lookup/'),
      heartbeat: links(base, 'heartbeat/'),
      conductors: links(base, 'conductors/'),
      version: {
        id: 'v1',
        links: [{ href: `${base}/v1/`, rel: 'self' }],
        min_version: MIN_API_VERSION,
        status: 'CURRENT',
        version: MAX_API_VERSION,
      },
    };
  };
  resource(app, '/v1', { GET: { handler: v1 } });
};
