import { ProvisionState } from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import type { PartialNode } from '../../store/node-row.js';
import { type ApiDependencies, type ApiPlugin, baseUrl, viewContext } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { parsePatch } from '../json-patch.js';
import { newNodeFromRequest, noValidHost } from '../node-create.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { detailRequested, NODE_DETAIL_ARGS, NODE_LIST_ARGS, parseNodeList } from '../node-list.js';
import { checkPatchRequest, nodeChangesFromPatch } from '../node-patch.js';
import { NODE_SUMMARY_FIELDS, nodeView, nodeViewer, parseFields } from '../node-view.js';
import { nextLink } from '../paging.js';
import { booleanParam, queryParam } from '../request-validation.js';
import { resource } from '../routing.js';

/** States in which a node may be deleted (Ironic's `DELETE_ALLOWED_STATES`, and `available`), or any in maintenance. */
export const DELETE_ALLOWED_STATES: readonly ProvisionState[] = [
  ProvisionState.MANAGEABLE,
  ProvisionState.ENROLL,
  ProvisionState.ADOPTFAIL,
  ProvisionState.AVAILABLE,
];

async function listNodes(request: FastifyRequest, deps: ApiDependencies, detailPath: boolean) {
  const fields = detailPath ? undefined : parseFields(queryParam(request.query, 'fields'), request.apiMinor);
  const detail = detailPath || detailRequested(request, fields);
  const { query, conductor } = parseNodeList(request);
  // Ironic answers an unknown marker with 404, whatever the order.
  if (query.marker !== undefined) await deps.nodes.get(query.marker);
  const shownFields = detail ? undefined : (fields ?? NODE_SUMMARY_FIELDS);
  // A list of a few fields reads only those: most of a row's bytes are JSON no one asked for.
  let nodes: PartialNode[] =
    shownFields && deps.listNodeFields
      ? await deps.listNodeFields(query, shownFields)
      : await deps.nodes.list(query);
  if (conductor !== undefined) {
    nodes = nodes.filter((node) => deps.drivers.has(node.driver) && deps.conductorHost === conductor);
  }
  const context = viewContext(request, deps);
  const views = nodes.map(nodeViewer(context, shownFields));
  // A lookup by instance is unique: no next page (Ironic's rule).
  const limit = query.instanceUuid !== undefined ? 0 : query.limit;
  const carried = NODE_DETAIL_ARGS.filter(
    (name) =>
      !['marker', 'limit', 'sort_key', 'sort_dir', 'associated', 'maintenance', 'retired'].includes(name),
  ).map((name) => [name, queryParam(request.query, name)] as const);
  const next = nextLink(
    `${baseUrl(request)}/v1/${detailPath ? 'nodes/detail' : 'nodes'}`,
    [
      ['sort_key', query.sortKey],
      ['sort_dir', query.sortDir],
      ['associated', query.associated],
      ['maintenance', query.maintenance],
      ['retired', query.retired],
      ['detail', detailPath ? undefined : booleanParam(request.query, 'detail')],
      ...carried,
      ['fields', shownFields],
    ],
    nodes,
    limit,
  );
  return next ? { nodes: views, next } : { nodes: views };
}

/** `GET/POST /v1/nodes`, `GET /v1/nodes/detail`, `GET/PATCH/DELETE /v1/nodes/{uuid or name}`. */
export const nodeRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes', {
    GET: { args: NODE_LIST_ARGS, handler: (request) => listNodes(request, deps, false) },
    POST: {
      handler: async (request, reply) => {
        const node = await deps.nodes.repository.create(
          newNodeFromRequest(request.body, request.apiMinor, deps.drivers),
        );
        const context = viewContext(request, deps);
        return reply
          .code(201)
          .header('Location', `${context.baseUrl}/v1/nodes/${node.uuid}`)
          .send(nodeView(node, context));
      },
    },
  });

  resource(app, '/v1/nodes/detail', {
    GET: { args: NODE_DETAIL_ARGS, handler: (request) => listNodes(request, deps, true) },
  });

  resource(app, '/v1/nodes/:ident', {
    GET: {
      args: ['fields'],
      handler: async (request: FastifyRequest<IdentParams>) => {
        const node = await deps.nodes.get(nodeIdent(request));
        const fields = parseFields(queryParam(request.query, 'fields'), request.apiMinor);
        return nodeView(node, viewContext(request, deps), fields);
      },
    },
    PATCH: {
      args: ['reset_interfaces'],
      handler: async (request: FastifyRequest<IdentParams>) => {
        const ident = nodeIdent(request);
        const operations = parsePatch(request.body);
        const resetInterfaces = booleanParam(request.query, 'reset_interfaces');
        const context = {
          minor: request.apiMinor,
          ident,
          drivers: deps.drivers,
          ...(resetInterfaces !== undefined ? { resetInterfaces } : {}),
        };
        checkPatchRequest(operations, context);
        const task = await deps.nodes.acquire(ident, { purpose: 'node update' });
        try {
          const changes = nodeChangesFromPatch(task.node, operations, context);
          // As Ironic, the node is shown as saved, still under this conductor's lock.
          const node = Object.keys(changes).length > 0 ? await task.save(changes) : task.node;
          return nodeView(node, viewContext(request, deps));
        } finally {
          await task.release();
        }
      },
    },
    DELETE: {
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const task = await deps.nodes.acquire(nodeIdent(request), { purpose: 'node deletion' });
        try {
          const node = task.node;
          if (!deps.drivers.has(node.driver)) throw noValidHost(node.driver, node.conductor_group);
          if (!node.maintenance && node.instance_uuid !== null) {
            throw new ApiError(
              'conflict',
              `Node ${node.uuid} is associated with instance ${node.instance_uuid}.`,
            );
          }
          if (node.protected) {
            throw new ApiError(
              'forbidden',
              `Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`,
            );
          }
          if (!DELETE_ALLOWED_STATES.includes(node.provision_state) && !node.maintenance) {
            throw new ApiError(
              'conflict',
              `Can not delete node "${node.uuid}" while it is in provision state "${node.provision_state}". Valid provision states to perform deletion are: "(${DELETE_ALLOWED_STATES.map((state) => `'${state}'`).join(', ')})", or set the node into maintenance mode`,
            );
          }
          if (node.console_enabled) {
            await task.driver.interfaces.console?.stopConsole(task).catch((error: unknown) => {
              request.log.error(
                { err: error, node: node.uuid },
                'failed to stop the console of a deleted node',
              );
            });
          }
          await deps.nodes.repository.delete(node.uuid, deps.nodes.conductorId);
        } finally {
          await task.release();
        }
        return reply.code(204).send();
      },
    },
  });
};
