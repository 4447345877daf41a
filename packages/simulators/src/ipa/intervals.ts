/**
 * IPA's timing formulas (ironic_python_agent/agent.py `IronicPythonAgentHeartbeater`,
 * ironic_api_client.py `lookup_node`), in milliseconds.
 */

/** After a heartbeat Ironic accepted: `heartbeat_timeout` × uniform(0.3, 0.6), so agents never herd. */
export function heartbeatIntervalMs(heartbeatTimeoutSeconds: number, random: () => number): number {
  return heartbeatTimeoutSeconds * 1000 * uniform(0.3, 0.6, random);
}

/** After a failed heartbeat: 5 s × uniform(1, 2). */
export function heartbeatErrorIntervalMs(random: () => number): number {
  return MIN_HEARTBEAT_INTERVAL_MS * uniform(1, 2, random);
}

/** A forced heartbeat (a command ended) is sent at most this soon after the previous one. */
export const MIN_HEARTBEAT_INTERVAL_MS = 5000;

/**
 * Delay before lookup attempt `attempt + 1` (tenacity's `wait_random_exponential(min, max)`):
 * a random fraction of 2^attempt seconds, capped at `maxMs`, never below `minMs`.
 */
export function lookupRetryDelayMs(
  attempt: number,
  minMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, 1000 * 2 ** attempt);
  return Math.min(maxMs, Math.max(minMs, random() * ceiling));
}

function uniform(low: number, high: number, random: () => number): number {
  return low + (high - low) * random();
}
