import {
  dispatchHeartbeat,
  HEARTBEAT_FIELDS,
  InvalidAgentToken,
  lookupNode,
  NodeLocked,
  NodeNotFound,
  parseHeartbeat,
  verifyHeartbeat,
} from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { type ApiDependencies, type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { argumentsOf } from '../arguments.js';
import { ApiError } from '../ironic-errors.js';
import { isMacAddress, normaliseMac } from '../node-fields.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { listParam, uuidParam } from '../request-validation.js';
import { resource } from '../routing.js';

/** Heartbeat fields and the microversion that introduced each. */
const HEARTBEAT_FIELD_VERSIONS: ReadonlyArray<readonly [string, number, string]> = [
  ['agent_version', 36, 'Field "agent_version" not recognised'],
  ['agent_verify_ca', 68, 'Field "agent_verify_ca" not recognised in this version'],
  ['agent_status', 72, 'Fields "agent_status" and "agent_status_message" not recognised.'],
  ['agent_status_message', 72, 'Fields "agent_status" and "agent_status_message" not recognised.'],
];

/** The node whose ports have these MAC addresses: one node, else none (Ironic's `get_by_port_addresses`). */
function byAddresses(deps: ApiDependencies) {
  return async (addresses: readonly string[]) => {
    const uuids = await deps.ports.nodesWithAddresses(addresses);
    if (uuids.length !== 1) throw new NodeNotFound(addresses.join(','));
    return deps.nodes.get(uuids[0] as string);
  };
}

/**
 * The ramdisk agent's endpoints (Ironic's `ramdisk` controller): `GET /v1/lookup` finds the node by
 * UUID or by its ports' MAC addresses and hands the agent token out once; `POST /v1/heartbeat/{node}`
 * checks the token and passes the heartbeat to the node's deploy interface in the background,
 * answering 202 at once as Ironic does.
 */
export const agentRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/lookup', {
    GET: {
      args: ['addresses', 'node_uuid'],
      handler: async (request) => {
        const nodeUuid = uuidParam(request.query, 'node_uuid');
        const given = listParam(request.query, 'addresses') ?? [];
        // Malformed addresses are ignored, as Ironic ignores them (with a warning).
        const addresses = given.filter(isMacAddress).map(normaliseMac);
        const ignored = given.filter((address) => !isMacAddress(address));
        if (ignored.length > 0)
          request.log.warn({ addresses: ignored, node: nodeUuid }, 'lookup ignores invalid MAC addresses');
        const result = await lookupNode(deps.nodes, { node_uuid: nodeUuid, addresses }, deps.agent, {
          findByAddresses: byAddresses(deps),
        });
        const href = `${baseUrl(request)}/v1/nodes/${result.node.uuid}`;
        return {
          node: {
            ...result.node,
            links: [
              { href, rel: 'self' },
              { href: `${baseUrl(request)}/nodes/${result.node.uuid}`, rel: 'bookmark' },
            ],
          },
          config: result.config,
        };
      },
    },
  });

  resource(app, '/v1/heartbeat/:ident', {
    POST: {
      args: HEARTBEAT_FIELDS,
      bodyArgs: true,
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const ident = nodeIdent(request);
        const args = argumentsOf(request);
        for (const [field, since, message] of HEARTBEAT_FIELD_VERSIONS) {
          if (args[field] !== undefined && args[field] !== null && request.apiMinor < since) {
            throw new ApiError('invalid-request', message);
          }
        }
        const heartbeat = parseHeartbeat(args);
        const node = await deps.nodes.get(ident);
        try {
          verifyHeartbeat(node, heartbeat);
        } catch (error) {
          if (error instanceof InvalidAgentToken) {
            request.log.warn(
              { node: node.uuid, reason: error.message },
              'heartbeat refused: bad agent token',
            );
            throw new ApiError('invalid-request', error.message);
          }
          throw error;
        }
        deps.background.run(`heartbeat of node ${node.uuid}`, async () => {
          try {
            await dispatchHeartbeat(deps.nodes, node.uuid, heartbeat);
          } catch (error) {
            // A busy or vanished node drops this heartbeat; the agent sends another soon (Ironic does the same).
            if (error instanceof NodeLocked || error instanceof NodeNotFound) {
              request.log.info({ node: node.uuid, reason: error.message }, 'heartbeat skipped');
              return;
            }
            throw error;
          }
        });
        return reply.code(202).send();
      },
    },
  });
};
