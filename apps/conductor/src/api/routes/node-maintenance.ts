import type { FastifyRequest } from 'fastify';
import type { ApiPlugin } from '../api-dependencies.js';
import { argumentsOf, stringArgument } from '../arguments.js';
import { withNode } from '../node-actions.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { resource } from '../routing.js';

/**
 * `PUT /v1/nodes/{id}/maintenance` (`reason` optional) and `DELETE` (which clears the reason and the
 * fault too), 202 with no body as in Ironic.
 */
export const nodeMaintenanceRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes/:ident/maintenance', {
    PUT: {
      args: ['reason'],
      bodyArgs: true,
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const reason = stringArgument(argumentsOf(request), 'reason') ?? null;
        await withNode(deps, nodeIdent(request), { purpose: 'node update' }, (task) =>
          task.save({ maintenance: true, maintenance_reason: reason }),
        );
        return reply.code(202).send();
      },
    },
    DELETE: {
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        await withNode(deps, nodeIdent(request), { purpose: 'node update' }, (task) =>
          task.save({ maintenance: false, maintenance_reason: null, fault: null }),
        );
        return reply.code(202).send();
      },
    },
  });
};
