import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HeartbeatRequest } from './driver.js';
import { DriverBaseError, InvalidParameterValue, UnsupportedDriverExtension } from './errors.js';
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

/**
 * A lookup found no node it may answer with: none matched, or the node is not in a state that allows
 * lookup. HTTP 404 with Ironic's deliberately vague words.
 */
export class LookupNotFound extends DriverBaseError {
  override readonly name = 'LookupNotFound';
  readonly code = 'LOOKUP_NOT_FOUND';
  constructor() {
    super('Resource could not be found.');
  }
}

/** The agent's token is missing or wrong. HTTP 400 in the API, as Ironic answers. */
export class InvalidAgentToken extends DriverBaseError {
  override readonly name = 'InvalidAgentToken';
  readonly code = 'INVALID_AGENT_TOKEN';
}

const S = ProvisionState;
/** States where a ramdisk may look its node up (Ironic's `LOOKUP_ALLOWED_STATES`). */
const LOOKUP_STATES: ReadonlySet<ProvisionState> = new Set([
  S.DEPLOYING,
  S.DEPLOYWAIT,
  S.CLEANING,
  S.CLEANWAIT,
  S.INSPECTING,
  S.INSPECTWAIT,
  S.RESCUING,
  S.RESCUEWAIT,
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
  /** Whether ramdisks may stay up while nothing is deployed; a node's `driver_info.fast_track` overrides it. */
  fast_track: boolean;
}

/**
 * The rest of the `config` block Ironic 21.4 hands an agent at lookup, with Ironic's defaults: metrics
 * off, image checks on, and the formats the agent may write.
 */
export const AGENT_LOOKUP_DEFAULTS: Readonly<JsonObject> = Object.freeze({
  metrics: {
    backend: 'noop',
    prepend_host: false,
    prepend_uuid: false,
    prepend_host_reverse: true,
    global_prefix: null,
  },
  metrics_statsd: { statsd_host: 'localhost', statsd_port: 8125 },
  disable_deep_image_inspection: false,
  permitted_image_formats: ['raw', 'qcow2', 'iso'],
  enable_bios_bootloader_install: true,
});

/** A lookup: by node UUID and/or the ramdisk's MAC addresses. */
export interface LookupQuery {
  node_uuid?: string | undefined;
  addresses?: readonly string[] | undefined;
}

/** Where a lookup by MAC addresses finds its node. */
export interface LookupOptions {
  /**
   * The node whose ports have these MAC addresses (lower case); rejects with `NodeNotFound` when none
   * or several nodes have them. Without it, only `node_uuid` finds nodes.
   */
  findByAddresses?: (addresses: readonly string[]) => Promise<Node>;
}

/** The body of a lookup answer, without `links` (the API adds them). */
export interface LookupResult {
  node: { uuid: string; properties: JsonObject; instance_info: JsonObject; driver_internal_info: JsonObject };
  config: JsonObject;
}

/** `driver_internal_info` as the API may show it: the token, if any, is masked. */
export function publicDriverInternalInfo(info: JsonObject): JsonObject {
  if (typeof info[AGENT_TOKEN_KEY] !== 'string') return info;
  return { ...info, [AGENT_TOKEN_KEY]: MASKED_TOKEN };
}

const TRUE_STRINGS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

/**
 * Whether fast track applies to a node: its `driver_info.fast_track` (a boolean or one of oslo's
 * boolean strings) if set, else the conductor's setting. A value that is neither is
 * `InvalidParameterValue`, worded as Ironic words it.
 */
export function fastTrackEnabled(node: Readonly<Node>, conductorDefault: boolean): boolean {
  const value = node.driver_info.fast_track;
  if (value === undefined || value === null) return conductorDefault;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE_STRINGS.has(text)) return true;
  if (FALSE_STRINGS.has(text)) return false;
  throw new InvalidParameterValue(
    `Invalid value of fast_track: Unrecognized value '${String(value)}', acceptable values are: ${[
      ...FALSE_STRINGS,
      ...TRUE_STRINGS,
    ]
      .sort()
      .map((word) => `'${word}'`)
      .join(', ')}`,
  );
}

/** Whether a node in this state may be looked up by its ramdisk. */
export function lookupAllowed(state: ProvisionState, fastTrack: boolean): boolean {
  return (fastTrack ? FAST_TRACK_STATES : LOOKUP_STATES).has(state);
}

/**
 * Ironic's `GET /v1/lookup`: finds the node by UUID or by its ports' MAC addresses, and on the first
 * lookup since the ramdisk booted generates the agent token and hands it out; later lookups see it
 * masked. Any node that is not found or not in a state allowing lookup is the same `NodeNotFound`
 * ("Resource could not be found."), so that a lookup reveals nothing about other nodes.
 */
export async function lookupNode(
  nodes: NodeStore,
  query: LookupQuery,
  config: AgentConfig,
  options: LookupOptions = {},
): Promise<LookupResult> {
  if (!query.node_uuid && !query.addresses?.length) {
    throw new InvalidParameterValue("At least one of 'addresses' and 'node_uuid' parameters is required");
  }
  const notFound = new LookupNotFound();
  let found: Node | undefined;
  if (query.node_uuid) found = await nodes.get(query.node_uuid).catch(() => undefined);
  else if (options.findByAddresses)
    found = await options.findByAddresses(query.addresses ?? []).catch(() => undefined);
  if (!found || !lookupAllowed(found.provision_state, fastTrackEnabled(found, config.fast_track)))
    throw notFound;
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
      ...structuredClone(AGENT_LOOKUP_DEFAULTS as JsonObject),
      heartbeat_timeout: config.heartbeat_timeout,
      agent_token: token,
      agent_token_required: true,
    },
  };
}

/** The fields a heartbeat may carry (Ironic's heartbeat arguments). */
export const HEARTBEAT_FIELDS = [
  'callback_url',
  'agent_version',
  'agent_token',
  'agent_verify_ca',
  'agent_status',
  'agent_status_message',
] as const;
const HEARTBEAT_FIELD_SET: ReadonlySet<string> = new Set(HEARTBEAT_FIELDS);

/** Checks a heartbeat body's fields as Ironic's API does; names the bad field. */
export function parseHeartbeat(body: unknown): HeartbeatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidParameterValue('The heartbeat body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!HEARTBEAT_FIELD_SET.has(key)) throw new InvalidParameterValue(`Unknown heartbeat field "${key}".`);
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
