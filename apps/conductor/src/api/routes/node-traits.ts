import type { FastifyRequest } from 'fastify';
import { type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { withNode } from '../node-actions.js';
import { invalidTrait, isValidTrait } from '../node-fields.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { resource } from '../routing.js';

/** Ironic's limit on a node's traits (`MAX_TRAITS_PER_NODE`). */
export const MAX_TRAITS_PER_NODE = 50;

interface TraitParams {
  Params: { ident: string; trait: string };
}

const ONE_OR_ALL =
  'A single node trait may be added via PUT /v1/nodes/<node identifier>/traits/<trait> with no body, or all node traits may be replaced via PUT /v1/nodes/<node identifier>/traits with the list of traits specified in the request body.';

function hasBody(body: unknown): boolean {
  return body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0);
}

/** The traits a `PUT .../traits` body sets: `{"traits": [...]}`, each one valid. */
function traitsFromBody(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('traits' in body)) {
    throw new ApiError('invalid-request', ONE_OR_ALL);
  }
  const extra = Object.keys(body).filter((key) => key !== 'traits');
  if (extra.length > 0) {
    throw new ApiError(
      'invalid-request',
      `Schema error for body: Additional properties are not allowed ('${extra.join("', '")}' was unexpected)`,
    );
  }
  const traits = (body as { traits: unknown }).traits;
  if (!Array.isArray(traits))
    throw new ApiError(
      'invalid-request',
      `Schema error for body: ${JSON.stringify(traits)} is not of type 'array'`,
    );
  for (const trait of traits)
    if (typeof trait !== 'string' || !isValidTrait(trait)) throw invalidTrait(trait, 'body');
  return traits as string[];
}

function checkCount(uuid: string, traits: ReadonlySet<string>): void {
  if (traits.size > MAX_TRAITS_PER_NODE) {
    throw new ApiError(
      'invalid-request',
      `Could not modify traits for node ${uuid} as it would exceed the maximum number of traits per node (${traits.size} vs. ${MAX_TRAITS_PER_NODE})`,
    );
  }
}

/**
 * `GET/PUT/DELETE /v1/nodes/{id}/traits` (list, replace all, remove all) and `PUT/DELETE
 * /v1/nodes/{id}/traits/{trait}` (add one, remove one), under the node's lock as in Ironic.
 */
export const nodeTraitRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes/:ident/traits', {
    GET: {
      handler: async (request: FastifyRequest<IdentParams>) => ({
        traits: [...(await deps.nodes.get(nodeIdent(request))).traits],
      }),
    },
    PUT: {
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const traits = traitsFromBody(request.body);
        await withNode(deps, nodeIdent(request), { purpose: 'add node traits' }, async (task) => {
          const all = new Set(traits);
          checkCount(task.node.uuid, all);
          await task.save({ traits: [...all].sort() });
        });
        return reply.code(204).send();
      },
    },
    DELETE: {
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        await withNode(deps, nodeIdent(request), { purpose: 'remove node traits' }, (task) =>
          task.save({ traits: [] }),
        );
        return reply.code(204).send();
      },
    },
  });

  resource(app, '/v1/nodes/:ident/traits/:trait', {
    PUT: {
      handler: async (request: FastifyRequest<TraitParams>, reply) => {
        const ident = nodeIdent(request);
        const trait = request.params.trait;
        if (!isValidTrait(trait)) throw invalidTrait(trait, 'trait');
        if (hasBody(request.body)) {
          if (typeof request.body === 'object' && request.body !== null && 'traits' in request.body) {
            throw new ApiError('invalid-request', ONE_OR_ALL);
          }
          throw new ApiError('invalid-request', 'No body should be provided when adding a trait');
        }
        await withNode(deps, ident, { purpose: 'add node traits' }, async (task) => {
          const all = new Set([...task.node.traits, trait]);
          checkCount(task.node.uuid, all);
          await task.save({ traits: [...all].sort() });
        });
        return reply
          .code(204)
          .header('Location', `${baseUrl(request)}/v1/nodes/${ident}/traits/${encodeURIComponent(trait)}`)
          .send();
      },
    },
    DELETE: {
      handler: async (request: FastifyRequest<TraitParams>, reply) => {
        const trait = request.params.trait;
        await withNode(deps, nodeIdent(request), { purpose: 'remove node traits' }, async (task) => {
          if (!task.node.traits.includes(trait)) {
            throw new ApiError('not-found', `Node ${task.node.uuid} doesn't have a trait '${trait}'`);
          }
          await task.save({ traits: task.node.traits.filter((t) => t !== trait) });
        });
        return reply.code(204).send();
      },
    },
  });
};
