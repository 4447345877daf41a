import type { FastifyRequest } from 'fastify';
import type { ClusterStatusSource, ConductorStatus } from '../../cluster/cluster-status.js';
import { type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { links } from '../node-view.js';
import { booleanParam } from '../request-validation.js';
import { resource } from '../routing.js';

function conductorView(conductor: ConductorStatus, request: FastifyRequest, detail: boolean) {
  const view: Record<string, unknown> = {
    hostname: conductor.hostname,
    conductor_group: '',
    alive: conductor.alive,
    links: links(baseUrl(request), `conductors/${encodeURIComponent(conductor.hostname)}`),
    // Beyond Ironic: the id in reservations, and how many nodes the hash rings give it.
    id: conductor.id,
    node_count: conductor.node_count,
  };
  if (detail) {
    view.drivers = conductor.drivers;
    view.created_at = conductor.started_at;
    view.updated_at = conductor.last_heartbeat_at;
    view.started_at = conductor.started_at;
    view.last_heartbeat_at = conductor.last_heartbeat_at;
    view.draining = conductor.draining;
  }
  return view;
}

/**
 * `GET /v1/conductors` (`?detail=true` adds drivers and times) and `GET /v1/conductors/{hostname}`
 * (Ironic's shape, plus `id`, `node_count`, `started_at`, `last_heartbeat_at`, `draining`). A conductor
 * is looked up by hostname, or by id when several share a host.
 */
export function conductorRoutes(cluster: ClusterStatusSource): ApiPlugin {
  return async (app) => {
    resource(app, '/v1/conductors', {
      GET: {
        args: ['detail'],
        handler: async (request) => {
          const detail = booleanParam(request.query, 'detail') ?? false;
          const conductors = await cluster.conductors();
          return { conductors: conductors.map((conductor) => conductorView(conductor, request, detail)) };
        },
      },
    });

    resource(app, '/v1/conductors/:hostname', {
      GET: {
        handler: async (request: FastifyRequest<{ Params: { hostname: string } }>) => {
          const wanted = request.params.hostname;
          const conductors = await cluster.conductors();
          const found =
            conductors.find((conductor) => conductor.id === wanted) ??
            conductors
              .filter((conductor) => conductor.hostname === wanted)
              .sort((a, b) => Number(b.alive) - Number(a.alive))[0];
          if (!found) throw new ApiError('not-found', `Conductor ${wanted} could not be found.`);
          return conductorView(found, request, true);
        },
      },
    });
  };
}
