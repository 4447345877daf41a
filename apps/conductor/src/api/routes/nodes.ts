import {
  isProvisionState,
  type JsonObject,
  type Node,
  type NodeQuery,
  ProvisionState,
} from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ApiDependencies, type ApiPlugin, baseUrl, viewContext } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { parsePatch } from '../json-patch.js';
import { checkInstanceUuid, checkNodeName, isUuid } from '../node-fields.js';
import { nodeChangesFromPatch } from '../node-patch.js';
import { nodeSummaryView, nodeView, parseFields, pickFields } from '../node-view.js';
import { booleanParam, parseRequest, queryParam } from '../request-validation.js';

/** Ironic's default `[api] max_limit`: the largest page served. */
export const MAX_PAGE_SIZE = 1000;

const SORT_KEYS = new Set<NonNullable<NodeQuery['sortKey']>>([
  'uuid',
  'name',
  'created_at',
  'updated_at',
  'provision_state',
  'provision_updated_at',
  'driver',
]);

/** Provision states in which a node may be deleted (Ironic's `DELETE_ALLOWED_STATES`), or any in maintenance. */
export const DELETE_ALLOWED_STATES: ReadonlySet<ProvisionState> = new Set([
  ProvisionState.AVAILABLE,
  ProvisionState.MANAGEABLE,
  ProvisionState.ENROLL,
]);

/** States in which a node's driver may change: resting states and Ironic's `UPDATE_ALLOWED_STATES`. */
const DRIVER_CHANGE_STATES: ReadonlySet<ProvisionState> = new Set([
  ProvisionState.ENROLL,
  ProvisionState.MANAGEABLE,
  ProvisionState.AVAILABLE,
  ProvisionState.VERIFYING,
  ProvisionState.INSPECTING,
  ProvisionState.INSPECTWAIT,
  ProvisionState.INSPECTFAIL,
  ProvisionState.CLEANFAIL,
  ProvisionState.DEPLOYFAIL,
  ProvisionState.ERROR,
]);

const dictionary = z.record(z.string(), z.json());

const createNodeBody = z
  .object({
    uuid: z.string().refine(isUuid, 'must be a UUID').optional(),
    name: z.string().nullable().optional(),
    driver: z.string().min(1),
    driver_info: dictionary.optional(),
    properties: dictionary.optional(),
    extra: dictionary.optional(),
    instance_info: dictionary.optional(),
    instance_uuid: z.string().nullable().optional(),
    maintenance: z.boolean().optional(),
    maintenance_reason: z.string().nullable().optional(),
  })
  .strict();

interface IdentParams {
  Params: { ident: string };
}

/** The node query a list request asks for; every bad parameter is a 400 naming it. */
function listQuery(request: FastifyRequest): NodeQuery {
  const query: NodeQuery = {};
  const state = queryParam(request.query, 'provision_state');
  if (state !== undefined) {
    if (!isProvisionState(state))
      throw new ApiError('invalid-request', `Invalid provision_state: ${JSON.stringify(state)}`);
    query.provisionState = state;
  }
  const driver = queryParam(request.query, 'driver');
  if (driver !== undefined) query.driver = driver;
  const maintenance = booleanParam(request.query, 'maintenance');
  if (maintenance !== undefined) query.maintenance = maintenance;
  const limitText = queryParam(request.query, 'limit');
  let limit = MAX_PAGE_SIZE;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText))
      throw new ApiError(
        'invalid-request',
        `Invalid limit: ${JSON.stringify(limitText)}; limit must be a positive integer`,
      );
    const asked = Number(limitText);
    limit = asked === 0 ? MAX_PAGE_SIZE : Math.min(asked, MAX_PAGE_SIZE);
  }
  query.limit = limit;
  const marker = queryParam(request.query, 'marker');
  if (marker !== undefined) {
    if (!isUuid(marker))
      throw new ApiError('invalid-request', `Invalid marker: ${JSON.stringify(marker)} is not a node UUID`);
    query.marker = marker.toLowerCase();
  }
  const sortKey = queryParam(request.query, 'sort_key');
  if (sortKey !== undefined) {
    if (!SORT_KEYS.has(sortKey as never)) {
      throw new ApiError(
        'invalid-request',
        `The sort_key value "${sortKey}" is an invalid field for sorting`,
      );
    }
    query.sortKey = sortKey as NonNullable<NodeQuery['sortKey']>;
  }
  const sortDir = queryParam(request.query, 'sort_dir');
  if (sortDir !== undefined) {
    if (sortDir !== 'asc' && sortDir !== 'desc') {
      throw new ApiError(
        'invalid-request',
        `Invalid sort direction: ${sortDir}. Acceptable values are 'asc' or 'desc'`,
      );
    }
    query.sortDir = sortDir;
  }
  return query;
}

/** The `next` link of a full page: the same query, continuing after the last node. */
function nextLink(
  request: FastifyRequest,
  path: string,
  nodes: readonly Node[],
  limit: number,
): string | undefined {
  if (nodes.length === 0 || nodes.length < limit) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (key !== 'marker' && key !== 'limit' && typeof value === 'string') params.set(key, value);
  }
  params.set('limit', String(limit));
  params.set('marker', nodes.at(-1)!.uuid);
  return `${baseUrl(request)}/v1/${path}?${params.toString()}`;
}

async function listNodes(request: FastifyRequest, deps: ApiDependencies, detailPath: boolean) {
  const detail = detailPath || (booleanParam(request.query, 'detail') ?? false);
  const fields = parseFields(queryParam(request.query, 'fields'));
  if (detail && fields) {
    throw new ApiError('invalid-request', 'Can not specify ?detail=True and fields in the same request.');
  }
  const query = listQuery(request);
  // Ironic answers an unknown marker with 404, whatever the sort order.
  if (query.marker !== undefined) await deps.nodes.get(query.marker);
  const nodes = await deps.nodes.list(query);
  const context = viewContext(request, deps);
  const views = nodes.map((node) => {
    if (fields) return pickFields(nodeView(node, context), fields);
    return detail ? nodeView(node, context) : nodeSummaryView(node, context);
  });
  const next = nextLink(request, detailPath ? 'nodes/detail' : 'nodes', nodes, query.limit ?? MAX_PAGE_SIZE);
  return next ? { nodes: views, next } : { nodes: views };
}

/** `GET/POST /v1/nodes`, `GET /v1/nodes/detail`, `GET/PATCH/DELETE /v1/nodes/{uuid or name}`. */
export const nodeRoutes: ApiPlugin = async (app, deps) => {
  app.get('/v1/nodes', (request) => listNodes(request, deps, false));
  app.get('/v1/nodes/detail', (request) => listNodes(request, deps, true));

  app.post('/v1/nodes', async (request, reply) => {
    const body = parseRequest(createNodeBody, request.body, 'node');
    const name = body.name === undefined ? null : checkNodeName(body.name, 'name');
    const instanceUuid = body.instance_uuid === undefined ? null : checkInstanceUuid(body.instance_uuid);
    if (!deps.drivers.has(body.driver)) {
      throw new ApiError(
        'invalid-request',
        `No valid host was found. Reason: No conductor service registered which supports driver ${body.driver}.`,
      );
    }
    const node = await deps.nodes.repository.create({
      driver: body.driver,
      name,
      instance_uuid: instanceUuid,
      ...(body.uuid ? { uuid: body.uuid.toLowerCase() } : {}),
      ...(body.driver_info ? { driver_info: body.driver_info as JsonObject } : {}),
      ...(body.properties ? { properties: body.properties as JsonObject } : {}),
      ...(body.extra ? { extra: body.extra as JsonObject } : {}),
      ...(body.instance_info ? { instance_info: body.instance_info as JsonObject } : {}),
      ...(body.maintenance !== undefined ? { maintenance: body.maintenance } : {}),
      ...(body.maintenance_reason !== undefined ? { maintenance_reason: body.maintenance_reason } : {}),
    });
    const context = viewContext(request, deps);
    return reply
      .code(201)
      .header('Location', `${context.baseUrl}/v1/nodes/${node.uuid}`)
      .send(nodeView(node, context));
  });

  app.get<IdentParams>('/v1/nodes/:ident', async (request) => {
    const node = await deps.nodes.get(request.params.ident);
    const fields = parseFields(queryParam(request.query, 'fields'));
    const view = nodeView(node, viewContext(request, deps));
    return fields ? pickFields(view, fields) : view;
  });

  app.patch<IdentParams>('/v1/nodes/:ident', async (request) => {
    const operations = parsePatch(request.body);
    const task = await deps.nodes.acquire(request.params.ident, { purpose: 'node update' });
    try {
      const changes = nodeChangesFromPatch(task.node, operations, (name) => deps.drivers.has(name));
      if (changes.driver !== undefined && !DRIVER_CHANGE_STATES.has(task.node.provision_state)) {
        throw new ApiError(
          'conflict',
          `Node ${task.node.uuid} can not change its driver while in provision state "${task.node.provision_state}".`,
        );
      }
      const node = Object.keys(changes).length > 0 ? await task.save(changes) : task.node;
      return nodeView({ ...node, reservation: null }, viewContext(request, deps));
    } finally {
      await task.release();
    }
  });

  app.delete<IdentParams>('/v1/nodes/:ident', async (request, reply) => {
    const task = await deps.nodes.acquire(request.params.ident, { purpose: 'node deletion' });
    try {
      const node = task.node;
      if (!DELETE_ALLOWED_STATES.has(node.provision_state) && !node.maintenance) {
        throw new ApiError(
          'conflict',
          `Can not delete node "${node.uuid}" while it is in provision state "${node.provision_state}". Valid provision states to perform deletion are: "${[...DELETE_ALLOWED_STATES].join('", "')}", or set the node into maintenance mode`,
        );
      }
      if (node.instance_uuid !== null) {
        throw new ApiError(
          'conflict',
          `Node ${node.uuid} is associated with instance ${node.instance_uuid}.`,
        );
      }
      await deps.nodes.repository.delete(node.uuid, deps.nodes.conductorId);
    } finally {
      await task.release();
    }
    return reply.code(204).send();
  });
};
