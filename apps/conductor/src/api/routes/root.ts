import type { FastifyRequest } from 'fastify';
import type { ApiPlugin } from '../api-dependencies.js';
import { baseUrl } from '../api-dependencies.js';
import { links } from '../node-view.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../versions.js';

/** `GET /` and `GET /v1`: the version documents clients negotiate from. */
export const rootRoutes: ApiPlugin = async (app) => {
  app.get('/', async (request) => {
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
  });

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
      drivers: links(base, 'drivers/'),
      version: {
        id: 'v1',
        links: [{ href: `${base}/v1/`, rel: 'self' }],
        min_version: MIN_API_VERSION,
        status: 'CURRENT',
        version: MAX_API_VERSION,
      },
    };
  };
  app.get('/v1', v1); // and `/v1/`: the API ignores trailing slashes
};
