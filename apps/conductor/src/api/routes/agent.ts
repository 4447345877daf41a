import {
  dispatchHeartbeat,
  InvalidAgentToken,
  lookupNode,
  NodeLocked,
  NodeNotFound,
  parseHeartbeat,
  verifyHeartbeat,
} from '@ironic/driver-base';
import { type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { queryParam } from '../request-validation.js';

interface IdentParams {
  Params: { ident: string };
}

/** A MAC address as the agent sends it (colon form, any case). */
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

/**
 * The ramdisk agent's endpoints (Ironic's `ramdisk` controller): `GET /v1/lookup` hands out the agent
 * token once; `POST /v1/heartbeat/{node}` checks it and passes the heartbeat to the node's deploy
 * interface in the background, answering 202 at once as Ironic does.
 */
export const agentRoutes: ApiPlugin = async (app, deps) => {
  app.get('/v1/lookup', async (request) => {
    const nodeUuid = queryParam(request.query, 'node_uuid');
    const rawAddresses = queryParam(request.query, 'addresses');
    const addresses = rawAddresses
      ?.split(',')
      .map((address) => address.trim())
      .filter(Boolean);
    const badAddress = addresses?.find((address) => !MAC.test(address));
    if (badAddress)
      throw new ApiError('invalid-request', `Invalid MAC address "${badAddress}" in "addresses".`);
    const result = await lookupNode(deps.nodes, { node_uuid: nodeUuid, addresses }, deps.agent);
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
  });

  app.post<IdentParams>('/v1/heartbeat/:ident', async (request, reply) => {
    const heartbeat = parseHeartbeat(request.body);
    const node = await deps.nodes.get(request.params.ident);
    try {
      verifyHeartbeat(node, heartbeat);
    } catch (error) {
      if (error instanceof InvalidAgentToken) {
        request.log.warn({ node: node.uuid, reason: error.message }, 'heartbeat refused: bad agent token');
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
  });
};
