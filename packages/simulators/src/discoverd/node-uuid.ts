const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a hyphenated UUID (any case), the only node id form the simulator accepts. */
export function isNodeUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** Lower-cases a UUID so that lookups do not depend on the caller's casing. */
export function normalizeNodeUuid(value: string): string {
  return value.toLowerCase();
}
