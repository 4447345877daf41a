import { AGENT_INFO_KEYS, type JsonObject, type Node } from '@ironic/driver-base';

/** When the deploy powered the node into the ramdisk (ISO-8601), in `driver_internal_info`. */
export const DEPLOY_STARTED_KEY = 'deploy_started_at';
/** When `standby.prepare_image` was sent to the agent (ISO-8601), in `driver_internal_info`. */
export const PREPARE_IMAGE_KEY = 'agent_prepare_image_started_at';

/** Epoch ms of an ISO timestamp; Ironic writes UTC without a zone (`…T10:00:00.000000`), taken as UTC. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch ms of the agent's last recorded heartbeat, if any. */
export function lastHeartbeatAt(node: Readonly<Node>): number | undefined {
  return parseTimestamp(node.driver_internal_info.agent_last_heartbeat);
}

/**
 * When the node last showed deploy progress: its last heartbeat, the deploy's start, or its last
 * provision state change, whichever is latest (a heartbeat "touches" the deploy as in Ironic).
 */
export function lastDeployActivityAt(node: Readonly<Node>): number | undefined {
  const times = [
    lastHeartbeatAt(node),
    parseTimestamp(node.driver_internal_info[DEPLOY_STARTED_KEY]),
    parseTimestamp(node.provision_updated_at),
  ].filter((time): time is number => time !== undefined);
  return times.length === 0 ? undefined : Math.max(...times);
}

/** `driver_internal_info` without the progress of a deploy (when it started, whether the image was sent). */
export function withoutDeployProgress(info: JsonObject): JsonObject {
  const rest = { ...info };
  delete rest[PREPARE_IMAGE_KEY];
  delete rest[DEPLOY_STARTED_KEY];
  return rest;
}

/** `driver_internal_info` without the ramdisk agent (token, URL, heartbeat) nor a deploy's progress. */
export function withoutAgent(info: JsonObject): JsonObject {
  const rest = withoutDeployProgress(info);
  for (const key of AGENT_INFO_KEYS) delete rest[key];
  return rest;
}

/** An ISO-8601 timestamp of the given epoch ms. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
