import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HeartbeatRequest } from './driver.js';
import {
  DriverBaseError,
  InvalidParameterValue,
  NodeNotFound,
  UnsupportedDriverExtension,
} from './errors.js';
import type { JsonObject, Node } from './node.js';
import type { NodeStore } from './node-store.js';
import { ProvisionState } from './provision-states.js';
import type { Task } from './task.js';

/** Where Ironic keeps the agent's token in `driver_internal_info` (never shown by the API). */
export const AGENT_TOKEN_KEY = 'agent_secret_token';
/** What the API shows instead of a token once it has been handed out. */
export const MASKED_TOKEN = '******';
/** `driver_internal_info` keys that describe a running ramdisk agent. */
export const AGENT_INFO_KEYS = [
  AGENT_TOKEN_KEY,
  'agent_url',
  'agent_version',
  'agent_last_heartbeat',
  'agent_verify_ca',
] as const;

/** The agent's token is missing or wrong. HTTP 400 in the API, as Ironic answers. */
export class InvalidAgentToken extends DriverBaseError {
  override readonly name = 'InvalidAgentToken';
  readonly code = 'INVALID_AGENT_TOKEN';
}

const S = ProvisionState;
/** States where a ramdisk may look its node up (Ironic's `_LOOKUP_ALLOWED_STATES`). */
const LOOKUP_STATES: ReadonlySet<ProvisionState> = new Set([
  S.DEPLOYING,
  S.DEPLOYWAIT,
  S.CLEANING,
  S.CLEANWAIT,
  S.INSPECTING,
  S.INSPECTWAIT,
]);
/** With fast track, a ramdisk may also stay up while nothing is deployed. */
const FAST_TRACK_STATES: ReadonlySet<ProvisionState> = new Set([
  ...LOOKUP_STATES,
  S.ENROLL,
  S.MANAGEABLE,
  S.AVAILABLE,
]);

/** What the conductor tells an agent at lookup. */
export interface AgentConfig {
  /** Seconds the conductor waits between heartbeats before it worries; the agent heartbeats well within. */
  heartbeat_timeout: number;
  /** Whether ramdisks may stay up while nothing is deployed. */
  fast_track: boolean;
}

/** A lookup: by node UUID and/or the ramdisk's MAC addresses. */
export interface LookupQuery {
  node_uuid?: string | undefined;
  addresses?: readonly string[] | undefined;
}

/** The body of a lookup answer, without `links` (the API adds them). */
export interface LookupResult {
  node: { uuid: string; properties: JsonObject; instance_info: JsonObject; driver_internal_info: JsonObject };
  config: JsonObject;
}

/** `driver_internal_info` as the API may show it: the token never leaves the conductor. */
export function publicDriverInternalInfo(info: JsonObject): JsonObject {
  const { [AGENT_TOKEN_KEY]: _token, ...rest } = info;
  return rest;
}

/** Whether a node in this state may be looked up by its ramdisk. */
export function lookupAllowed(state: ProvisionState, fastTrack: boolean): boolean {
  return (fastTrack ? FAST_TRACK_STATES : LOOKUP_STATES).has(state);
}

/**
 * Ironic's `GET /v1/lookup`: finds the node, and on the first lookup since the ramdisk booted generates
 * the agent token and hands it out; later lookups see it masked. Nodes are found by UUID; a MAC-only
 * lookup needs ports, which this conductor does not keep, and finds nothing.
 */
export async function lookupNode(
  nodes: NodeStore,
  query: LookupQuery,
  config: AgentConfig,
): Promise<LookupResult> {
  if (!query.node_uuid && !query.addresses?.length) {
    throw new InvalidParameterValue('Lookup needs "addresses" or "node_uuid".');
  }
  const notFound = new NodeNotFound(query.node_uuid ?? (query.addresses ?? []).join(','));
  if (!query.node_uuid) throw notFound;
  const found = await nodes.get(query.node_uuid).catch(() => undefined);
  if (!found || !lookupAllowed(found.provision_state, config.fast_track)) throw notFound;
  let node: Node = found;
  let token: string = MASKED_TOKEN;
  if (typeof node.driver_internal_info[AGENT_TOKEN_KEY] !== 'string') {
    const generated = randomBytes(32).toString('base64url');
    node = await nodes.withTask(node.uuid, { purpose: 'agent lookup' }, async (task) => {
      // A concurrent lookup may have handed a token out in the meantime; never replace it.
      if (typeof task.node.driver_internal_info[AGENT_TOKEN_KEY] === 'string') return task.node;
      token = generated;
      return task.save({
        driver_internal_info: { ...task.node.driver_internal_info, [AGENT_TOKEN_KEY]: generated },
      });
    });
  }
  return {
    node: {
      uuid: node.uuid,
      properties: node.properties,
      instance_info: node.instance_info,
      driver_internal_info: publicDriverInternalInfo(node.driver_internal_info),
    },
    config: {
      heartbeat_timeout: config.heartbeat_timeout,
      agent_token: token,
      agent_token_required: true,
      agent_md5_checksum_enable: false,
    },
  };
}

const HEARTBEAT_FIELDS = new Set([
  'callback_url',
  'agent_version',
  'agent_token',
  'agent_verify_ca',
  'agent_status',
  'agent_status_message',
]);

/** Checks a heartbeat body's fields as Ironic's API does; names the bad field. */
export function parseHeartbeat(body: unknown): HeartbeatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidParameterValue('The heartbeat body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!HEARTBEAT_FIELDS.has(key)) throw new InvalidParameterValue(`Unknown heartbeat field "${key}".`);
    if (fields[key] !== undefined && fields[key] !== null && typeof fields[key] !== 'string') {
      throw new InvalidParameterValue(`Heartbeat field "${key}" must be a string.`);
    }
  }
  if (typeof fields.callback_url !== 'string' || !URL.canParse(fields.callback_url)) {
    throw new InvalidParameterValue('Heartbeat field "callback_url" must be a URL.');
  }
  if (typeof fields.agent_version !== 'string' || fields.agent_version === '') {
    throw new InvalidParameterValue('Heartbeat field "agent_version" is required.');
  }
  return fields as unknown as HeartbeatRequest;
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks what Ironic checks before a heartbeat reaches a driver: the node exists, the token matches
 * the one handed out at lookup, and the agent did not move to another `callback_url`.
 */
export function verifyHeartbeat(node: Readonly<Node>, request: HeartbeatRequest): void {
  if (!request.agent_token) throw new InvalidAgentToken('Agent token is required for heartbeat processing.');
  const expected = node.driver_internal_info[AGENT_TOKEN_KEY];
  if (typeof expected !== 'string' || !sameToken(expected, request.agent_token)) {
    throw new InvalidAgentToken('Invalid or missing agent token received.');
  }
  const onFile = node.driver_internal_info.agent_url;
  if (typeof onFile === 'string' && onFile !== request.callback_url) {
    throw new InvalidParameterValue(
      `Detected change in ramdisk provided "callback_url" for node ${node.uuid}.`,
    );
  }
}

/** Hands a verified heartbeat to the node's deploy interface under a shared lock it may upgrade. */
export async function dispatchHeartbeat(
  nodes: NodeStore,
  uuid: string,
  request: HeartbeatRequest,
): Promise<void> {
  await nodes.withTask(uuid, { shared: true, purpose: 'heartbeat' }, async (task) => {
    const deploy = task.driver.interfaces.deploy;
    if (!deploy?.heartbeat) throw new UnsupportedDriverExtension(task.driver.name, 'agent heartbeats');
    await deploy.heartbeat(task, request);
  });
}

/**
 * Forgets the ramdisk agent of a node (its token, URL and heartbeat), as Ironic does on every power off
 * or reboot: the next ramdisk must look the node up again and receives a fresh token.
 */
export async function wipeAgentToken(task: Task): Promise<void> {
  if (!AGENT_INFO_KEYS.some((key) => key in task.node.driver_internal_info)) return;
  await task.upgradeLock();
  const info = { ...task.node.driver_internal_info };
  for (const key of AGENT_INFO_KEYS) delete info[key];
  await task.save({ driver_internal_info: info });
}
