import { isProvisionState, NODE_SORT_KEYS, type NodeQuery, type NodeSortKey } from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { ApiError, notAcceptable } from './ironic-errors.js';
import { MINOR, nodeFieldAllowed } from './microversion.js';
import {
  booleanParam,
  listParam,
  pageLimit,
  queryParam,
  sortDirection,
  uuidParam,
} from './request-validation.js';

/** Ironic's default `[api] max_limit`: the largest page served. */
export const MAX_PAGE_SIZE = 1000;

/** The arguments of `GET /v1/nodes/detail` (Ironic's `NodesController.detail`). */
export const NODE_DETAIL_ARGS = [
  'chassis_uuid',
  'instance_uuid',
  'associated',
  'maintenance',
  'retired',
  'provision_state',
  'marker',
  'limit',
  'sort_key',
  'sort_dir',
  'driver',
  'resource_class',
  'fault',
  'conductor_group',
  'conductor',
  'owner',
  'description_contains',
  'lessee',
  'project',
  'shard',
  'sharded',
] as const;

/** The arguments of `GET /v1/nodes` (`NodesController.get_all`): the detail ones, `fields` and `detail`. */
export const NODE_LIST_ARGS = [...NODE_DETAIL_ARGS, 'fields', 'detail'] as const;

/** Faults a node may have (Ironic's `faults.VALID_FAULTS`). */
const VALID_FAULTS = ['power failure', 'clean failure', 'rescue abort failure'];

/** Fields Ironic refuses to sort by (`invalid_sort_key_list`). */
const UNSORTABLE = new Set([
  'properties',
  'driver_info',
  'extra',
  'instance_info',
  'driver_internal_info',
  'clean_step',
  'deploy_step',
  'raid_config',
  'target_raid_config',
  'traits',
  'network_data',
]);

/** Filters that exist from a minor version on; older requests using them are 406. */
const FILTER_VERSIONS: ReadonlyArray<readonly [string, number, boolean]> = [
  ['provision_state', MINOR.PROVISION_STATE_FILTER, false],
  ['driver', MINOR.DRIVER_FILTER, true],
  ['resource_class', MINOR.RESOURCE_CLASS, true],
  ['fault', MINOR.FAULT, true],
  ['conductor_group', MINOR.NODE_CONDUCTOR_GROUP, true],
  ['conductor', MINOR.CONDUCTORS, true],
  ['owner', MINOR.NODE_OWNER, true],
  ['lessee', MINOR.NODE_LESSEE, true],
  ['shard', MINOR.NODE_SHARD, true],
  ['sharded', MINOR.NODE_SHARD, true],
];

/** A node list request, parsed. */
export interface NodeListRequest {
  readonly query: NodeQuery & { limit: number; sortKey: NodeSortKey; sortDir: 'asc' | 'desc' };
  /** Only nodes this conductor host serves (`?conductor=`). */
  readonly conductor: string | undefined;
}

function sortKey(raw: string | undefined, minor: number): NodeSortKey {
  const key = raw ?? 'id';
  if (!nodeFieldAllowed(key, minor)) throw notAcceptable();
  if (UNSORTABLE.has(key)) {
    throw new ApiError('invalid-request', `The sort_key value ${key} is an invalid field for sorting`);
  }
  if (!(NODE_SORT_KEYS as readonly string[]).includes(key)) {
    throw new ApiError('invalid-request', `The sort_key value "${key}" is an invalid field for sorting`);
  }
  return key as NodeSortKey;
}

/** Parses a node list request's filters, order and page as Ironic does; every refusal in Ironic's words. */
export function parseNodeList(request: FastifyRequest): NodeListRequest {
  const q = request.query;
  const minor = request.apiMinor;
  for (const [name, since, sayWhich] of FILTER_VERSIONS) {
    if (queryParam(q, name) !== undefined && minor < since) throw notAcceptable(sayWhich ? since : undefined);
  }
  const state = queryParam(q, 'provision_state');
  if (state !== undefined && !isProvisionState(state)) {
    throw new ApiError('invalid-request', `Provision state "${state}" is not valid`);
  }
  const fault = queryParam(q, 'fault');
  if (fault !== undefined && !VALID_FAULTS.includes(fault)) {
    throw new ApiError(
      'invalid-request',
      `Unrecognized fault "${fault}" is specified, allowed faults are ('${VALID_FAULTS.join("', '")}')`,
    );
  }
  const query: NodeListRequest['query'] = {
    limit: pageLimit(q, MAX_PAGE_SIZE),
    sortDir: sortDirection(q),
    sortKey: sortKey(queryParam(q, 'sort_key'), minor),
  };
  const marker = uuidParam(q, 'marker');
  if (marker !== undefined) query.marker = marker;
  const chassis = uuidParam(q, 'chassis_uuid');
  if (chassis !== undefined) throw new ApiError('not-found', `Chassis ${chassis} could not be found.`);
  const instance = uuidParam(q, 'instance_uuid');
  if (instance !== undefined) query.instanceUuid = instance;
  if (state !== undefined) query.provisionState = state;
  if (fault !== undefined) query.fault = fault;
  const flags = {
    associated: 'associated',
    maintenance: 'maintenance',
    retired: 'retired',
    sharded: 'sharded',
  };
  for (const [param, key] of Object.entries(flags) as [
    string,
    'associated' | 'maintenance' | 'retired' | 'sharded',
  ][]) {
    const value = booleanParam(q, param);
    if (value !== undefined) query[key] = value;
  }
  const strings = {
    driver: 'driver',
    resource_class: 'resourceClass',
    conductor_group: 'conductorGroup',
    owner: 'owner',
    lessee: 'lessee',
    project: 'project',
    description_contains: 'descriptionContains',
  } as const;
  for (const [param, key] of Object.entries(strings)) {
    const value = queryParam(q, param);
    if (value !== undefined) query[key] = value;
  }
  const shard = listParam(q, 'shard');
  if (shard !== undefined) query.shard = shard;
  return { query, conductor: queryParam(q, 'conductor') };
}

/** Ironic's `?detail=` on the plain list: from 1.43, and never with `fields`. */
export function detailRequested(request: FastifyRequest, fields: readonly string[] | undefined): boolean {
  const raw = queryParam(request.query, 'detail');
  if (raw === undefined) return false;
  if (request.apiMinor < MINOR.ENABLE_DETAIL_QUERY) {
    throw new ApiError('invalid-request', `Invalid query parameter ?detail=${raw} received.`);
  }
  const detail = booleanParam(request.query, 'detail') ?? false;
  if (detail && fields !== undefined) {
    throw new ApiError('invalid-request', 'Can not specify ?detail=True and fields in the same request.');
  }
  return detail;
}
