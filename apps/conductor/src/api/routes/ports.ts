import { type JsonObject, NodeNotFound, ProvisionState } from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import {
  PORT_SORT_KEYS,
  type Port,
  type PortChanges,
  type PortQuery,
  type PortSortKey,
} from '../../store/port.js';
import { type ApiDependencies, type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError, notAcceptable } from '../ironic-errors.js';
import { applyPatch, parsePatch, pointerSegments } from '../json-patch.js';
import { MINOR } from '../microversion.js';
import { withNode } from '../node-actions.js';
import { isUuid } from '../node-fields.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { MAX_PAGE_SIZE } from '../node-list.js';
import { nextLink } from '../paging.js';
import { checkPortDocument, checkPortFieldVersions, PORT_SUMMARY_FIELDS, portView } from '../port-view.js';
import {
  booleanParam,
  listParam,
  macParam,
  pageLimit,
  queryParam,
  sortDirection,
  uuidParam,
} from '../request-validation.js';
import { resource } from '../routing.js';

const LIST_ARGS = [
  'node',
  'node_uuid',
  'address',
  'marker',
  'limit',
  'sort_key',
  'sort_dir',
  'portgroup',
  'shard',
];
const UNSORTABLE = new Set(['extra', 'internal_info', 'local_link_connection']);
const PATCH_ALLOWED_FIELDS = [
  'address',
  'extra',
  'is_smartnic',
  'local_link_connection',
  'node_uuid',
  'physical_network',
  'portgroup_uuid',
  'pxe_enabled',
];
/** Port fields whose change touches the node's networking (Ironic's `connectivity_attr`). */
const CONNECTIVITY = ['pxe_enabled', 'local_link_connection', 'physical_network'];
const CONNECTIVITY_STATES = [
  ProvisionState.ENROLL,
  ProvisionState.INSPECTING,
  ProvisionState.INSPECTWAIT,
  ProvisionState.MANAGEABLE,
];

interface PortParams {
  Params: { uuid: string };
}

function portUuid(request: FastifyRequest<PortParams>): string {
  const uuid = request.params.uuid;
  if (!isUuid(uuid)) throw new ApiError('invalid-request', `Expected UUID for port_uuid: ${uuid}`);
  return uuid.toLowerCase();
}

function sortKey(raw: string | undefined, minor: number): PortSortKey {
  const key = raw ?? 'id';
  checkPortFieldVersions([key], minor);
  if (UNSORTABLE.has(key)) {
    throw new ApiError('invalid-request', `The sort_key value ${key} is an invalid field for sorting`);
  }
  if (!(PORT_SORT_KEYS as readonly string[]).includes(key)) {
    throw new ApiError('invalid-request', `The sort_key value "${key}" is an invalid field for sorting`);
  }
  return key as PortSortKey;
}

function portFields(request: FastifyRequest): string[] | undefined {
  const fields = listParam(request.query, 'fields');
  if (fields === undefined) return undefined;
  if (request.apiMinor < MINOR.FETCHING_SUBSET_OF_FIELDS) throw notAcceptable();
  checkPortFieldVersions(fields, request.apiMinor);
  return fields;
}

async function listPorts(
  request: FastifyRequest,
  deps: ApiDependencies,
  options: { detailPath: boolean; parentNode?: string },
) {
  const q = request.query;
  const minor = request.apiMinor;
  const fields = options.detailPath ? undefined : portFields(request);
  const detailRaw = options.detailPath ? undefined : queryParam(q, 'detail');
  if (detailRaw !== undefined && minor < MINOR.ENABLE_DETAIL_QUERY) {
    throw new ApiError('invalid-request', `Invalid query parameter ?detail=${detailRaw} received.`);
  }
  const detail = options.detailPath || (booleanParam(q, 'detail') ?? false);
  if (detail && fields !== undefined) {
    throw new ApiError('invalid-request', 'Can not specify ?detail=True and fields in the same request.');
  }
  const query: PortQuery = {
    limit: pageLimit(q, MAX_PAGE_SIZE),
    sortDir: sortDirection(q),
    sortKey: sortKey(queryParam(q, 'sort_key'), minor),
  };
  const marker = uuidParam(q, 'marker');
  if (marker !== undefined) query.marker = marker;
  const portgroup = queryParam(q, 'portgroup');
  if (portgroup !== undefined) {
    if (minor < MINOR.PORTGROUPS_SUBCONTROLLERS) throw notAcceptable();
    throw new ApiError('not-found', `Portgroup ${portgroup} could not be found.`);
  }
  const shard = listParam(q, 'shard');
  if (shard !== undefined && minor < MINOR.NODE_SHARD) throw notAcceptable(MINOR.NODE_SHARD);
  const nodeUuidArg = uuidParam(q, 'node_uuid');
  const nodeArg = options.parentNode ?? nodeUuidArg ?? queryParam(q, 'node');
  if (nodeArg !== undefined && shard !== undefined) throw new ApiError('forbidden', 'Not authorized.');
  const address = macParam(q, 'address');
  let ports: Port[];
  if (nodeArg !== undefined) {
    if (!isUuid(nodeArg) && minor < MINOR.NODE_NAME) throw notAcceptable();
    const node = await deps.nodes.get(nodeArg);
    ports = await deps.ports.list({ ...query, nodeUuid: node.uuid });
  } else if (address !== undefined) {
    ports = await deps.ports.list({ address });
  } else if (shard !== undefined) {
    const nodes = await deps.nodes.list({ shard });
    const uuids = new Set(nodes.map((node) => node.uuid));
    ports = (await deps.ports.list(query)).filter((port) => uuids.has(port.node_uuid));
  } else {
    ports = await deps.ports.list(query);
  }
  const shown = detail ? undefined : (fields ?? PORT_SUMMARY_FIELDS);
  const base = baseUrl(request);
  const views = ports.map((port) => portView(port, base, minor, shown));
  const path = options.parentNode
    ? `nodes/${options.parentNode}/ports${options.detailPath ? '/detail' : ''}`
    : `ports${options.detailPath ? '/detail' : ''}`;
  const next = nextLink(
    `${base}/v1/${path}`,
    [
      ['sort_key', query.sortKey],
      ['sort_dir', query.sortDir],
      ['detail', options.detailPath ? undefined : booleanParam(q, 'detail')],
      ['node', options.parentNode ? undefined : nodeArg],
      ['fields', shown],
    ],
    address !== undefined ? [] : ports,
    query.limit ?? MAX_PAGE_SIZE,
  );
  return next ? { ports: views, next } : { ports: views };
}

/** The node a port is given: an unknown one is the request's fault (400), as in Ironic. */
function nodeOfPort(deps: ApiDependencies, uuid: string) {
  return deps.nodes.get(uuid).catch((error: unknown) => {
    if (error instanceof NodeNotFound) throw new ApiError('invalid-request', error.message);
    throw error;
  });
}

/** Port changes of a patch, checked as Ironic's API and conductor check them. */
async function portChanges(
  request: FastifyRequest<PortParams>,
  deps: ApiDependencies,
  port: Port,
): Promise<PortChanges> {
  const operations = parsePatch(request.body);
  for (const operation of operations) {
    const root = pointerSegments(operation.path)[0] as string;
    if (!PATCH_ALLOWED_FIELDS.includes(root)) {
      throw new ApiError(
        'invalid-request',
        `Cannot patch ${operation.path}. Only the following can be updated: ${PATCH_ALLOWED_FIELDS.join(', ')}`,
      );
    }
    checkPortFieldVersions([root], request.apiMinor);
  }
  const before: JsonObject = {
    address: port.address,
    extra: port.extra,
    is_smartnic: port.is_smartnic,
    local_link_connection: port.local_link_connection,
    node_uuid: port.node_uuid,
    physical_network: port.physical_network,
    portgroup_uuid: null,
    pxe_enabled: port.pxe_enabled,
    uuid: port.uuid,
  };
  const after = checkPortDocument(applyPatch(before, operations), 'patch');
  if (after.portgroup_uuid) {
    throw new ApiError('invalid-request', `Portgroup ${String(after.portgroup_uuid)} could not be found.`);
  }
  if (after.node_uuid !== port.node_uuid) {
    await nodeOfPort(deps, after.node_uuid as string);
  }
  if (after.physical_network === '') {
    throw new ApiError('invalid-request', 'A non-empty value is required when setting physical_network');
  }
  const changes: Record<string, unknown> = {};
  for (const field of [
    'address',
    'extra',
    'is_smartnic',
    'local_link_connection',
    'node_uuid',
    'physical_network',
    'pxe_enabled',
  ]) {
    const value = after[field] ?? (field === 'extra' || field === 'local_link_connection' ? {} : null);
    if (JSON.stringify(value) !== JSON.stringify(before[field])) changes[field] = value;
  }
  if (changes.pxe_enabled === null) changes.pxe_enabled = true;
  if (changes.is_smartnic === null) changes.is_smartnic = false;
  return changes as PortChanges;
}

/**
 * `GET/POST /v1/ports`, `GET /v1/ports/detail`, `GET/PATCH/DELETE /v1/ports/{uuid}`, and the ports of
 * a node at `GET /v1/nodes/{id}/ports` (and `/detail`). Changes take the node's lock, as in Ironic.
 */
export const portRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/ports', {
    GET: {
      args: [...LIST_ARGS, 'fields', 'detail'],
      handler: (request) => listPorts(request, deps, { detailPath: false }),
    },
    POST: {
      handler: async (request, reply) => {
        const fields = checkPortDocument(request.body, 'port');
        checkPortFieldVersions(Object.keys(fields), request.apiMinor);
        const nodeUuid = fields.node_uuid as string;
        const node = await nodeOfPort(deps, nodeUuid);
        if (fields.portgroup_uuid) {
          throw new ApiError(
            'invalid-request',
            `Portgroup ${String(fields.portgroup_uuid)} could not be found.`,
          );
        }
        if (fields.physical_network === '') {
          throw new ApiError(
            'invalid-request',
            'A non-empty value is required when setting physical_network',
          );
        }
        if (fields.is_smartnic === true) {
          const link = (fields.local_link_connection ?? {}) as JsonObject;
          if (!link.port_id || !link.hostname) {
            throw new ApiError(
              'invalid-request',
              'Smart NIC port must have port_id and hostname in local_link_connection',
            );
          }
        }
        const port = await withNode(deps, node.uuid, { purpose: 'port create' }, () =>
          deps.ports.create({
            address: fields.address as string,
            node_uuid: node.uuid,
            ...(fields.uuid ? { uuid: fields.uuid as string } : {}),
            ...(fields.extra ? { extra: fields.extra as JsonObject } : {}),
            ...(fields.local_link_connection
              ? { local_link_connection: fields.local_link_connection as JsonObject }
              : {}),
            ...(fields.pxe_enabled != null ? { pxe_enabled: fields.pxe_enabled as boolean } : {}),
            ...(fields.is_smartnic != null ? { is_smartnic: fields.is_smartnic as boolean } : {}),
            ...(fields.physical_network != null
              ? { physical_network: fields.physical_network as string }
              : {}),
          }),
        );
        const base = baseUrl(request);
        return reply
          .code(201)
          .header('Location', `${base}/v1/ports/${port.uuid}`)
          .send(portView(port, base, request.apiMinor));
      },
    },
  });

  resource(app, '/v1/ports/detail', {
    GET: { args: LIST_ARGS, handler: (request) => listPorts(request, deps, { detailPath: true }) },
  });

  resource(app, '/v1/ports/:uuid', {
    GET: {
      args: ['fields'],
      handler: async (request: FastifyRequest<PortParams>) => {
        const port = await deps.ports.get(portUuid(request));
        return portView(port, baseUrl(request), request.apiMinor, portFields(request));
      },
    },
    PATCH: {
      handler: async (request: FastifyRequest<PortParams>) => {
        const uuid = portUuid(request);
        const port = await deps.ports.get(uuid);
        const changes = await portChanges(request, deps, port);
        const updated = await withNode(deps, port.node_uuid, { purpose: 'port update' }, async (task) => {
          const node = task.node;
          if (node.provision_state === ProvisionState.INSPECTING && request.apiMinor >= MINOR.INSPECT_WAIT) {
            throw new ApiError(
              'conflict',
              `Cannot update port "${uuid}" on "${node.uuid}" while it is in state "inspecting".`,
            );
          }
          if (
            (node.provision_state === ProvisionState.ACTIVE || node.instance_uuid) &&
            changes.address &&
            !node.maintenance
          ) {
            throw new ApiError(
              'conflict',
              `Cannot update hardware address for port ${uuid} as node ${node.uuid} is active or has instance UUID assigned`,
            );
          }
          const connectivity = CONNECTIVITY.filter((field) => field in changes);
          if (
            connectivity.length > 0 &&
            !(CONNECTIVITY_STATES as readonly string[]).includes(node.provision_state) &&
            !node.maintenance
          ) {
            throw new ApiError(
              'conflict',
              `Port ${uuid} can not have any connectivity attributes (portgroup_id, ${CONNECTIVITY.join(', ')}) updated unless node ${node.uuid} is in a ${CONNECTIVITY_STATES.join(', ')} state or in maintenance mode. The current state is ${node.provision_state}.`,
            );
          }
          return Object.keys(changes).length > 0 ? deps.ports.update(uuid, changes) : port;
        });
        return portView(updated, baseUrl(request), request.apiMinor);
      },
    },
    DELETE: {
      handler: async (request: FastifyRequest<PortParams>, reply) => {
        const port = await deps.ports.get(portUuid(request));
        await withNode(deps, port.node_uuid, { purpose: 'port deletion' }, () =>
          deps.ports.delete(port.uuid),
        );
        return reply.code(204).send();
      },
    },
  });

  resource(app, '/v1/nodes/:ident/ports', {
    GET: {
      args: [...LIST_ARGS, 'fields', 'detail'],
      handler: (request: FastifyRequest<IdentParams>) =>
        listPorts(request, deps, { detailPath: false, parentNode: nodeIdent(request) }),
    },
  });
  resource(app, '/v1/nodes/:ident/ports/detail', {
    GET: {
      args: LIST_ARGS,
      handler: (request: FastifyRequest<IdentParams>) =>
        listPorts(request, deps, { detailPath: true, parentNode: nodeIdent(request) }),
    },
  });
};
