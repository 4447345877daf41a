import { ApiError } from './ironic-errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Ironic's logical names: RFC 3986 unreserved characters, at most 255.
const NODE_NAME = /^[A-Za-z0-9\-._~]{1,255}$/;

/** Whether a string is a UUID (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A node name as Ironic accepts it (unreserved characters, not a UUID), or null; 400 otherwise. */
export function checkNodeName(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !NODE_NAME.test(value) || isUuid(value)) {
    throw new ApiError(
      'invalid-request',
      `Cannot use ${JSON.stringify(value)} as ${field}: a node name is 1-255 letters, digits or "-._~" and is not a UUID`,
    );
  }
  return value;
}

/** An instance UUID, or null; 400 otherwise. */
export function checkInstanceUuid(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !isUuid(value)) {
    throw new ApiError(
      'invalid-request',
      `Expected a UUID for instance_uuid but received ${JSON.stringify(value)}.`,
    );
  }
  return value.toLowerCase();
}
