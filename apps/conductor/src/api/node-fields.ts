import { ApiError } from './ironic-errors.js';
import { STANDARD_TRAITS } from './standard-traits.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Ironic's logical names since 1.10: RFC 3986 unreserved characters, at most 255.
const LOGICAL_NAME = /^[A-Za-z0-9\-._~]{1,255}$/;
// Before 1.10 a name had to be a safe host name.
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9\-_]{0,62}[a-z0-9])*\.?$/;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
/** Ironic's standard traits are os-traits' names; custom ones must look like this. */
const CUSTOM_TRAIT = /^CUSTOM_[A-Z0-9_]+$/;

/** Whether a string is a UUID (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Whether a string is a MAC address (colon or dash separated, either case). */
export function isMacAddress(value: string): boolean {
  return MAC.test(value);
}

/** A MAC address as Ironic stores it: lower case, colon-separated. */
export function normaliseMac(value: string): string {
  return value.toLowerCase().replaceAll('-', ':');
}

/** Whether a node name is acceptable at this minor version (and is not a UUID). */
export function isValidNodeName(name: string, minor: number): boolean {
  if (name.length > 255 || isUuid(name)) return false;
  return minor < 10 ? HOSTNAME.test(name) : LOGICAL_NAME.test(name);
}

/** The words the node controller reserves: they name sub-resources, not nodes. */
export const RESERVED_NODE_NAMES = [
  'maintenance',
  'management',
  'states',
  'vendor_passthru',
  'detail',
  'validate',
] as const;

/**
 * A node name as Ironic accepts it for a create or a rename, or null; 400 in Ironic's words otherwise
 * (`message` carries `%(name)s`).
 */
export function checkNodeName(value: unknown, minor: number, message: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !isValidNodeName(value, minor)) {
    throw new ApiError('invalid-request', message.replace('%(name)s', String(value)));
  }
  if ((RESERVED_NODE_NAMES as readonly string[]).includes(value)) {
    throw new ApiError(
      'invalid-request',
      `The word "${value}" is reserved and can not be used as a node name. Reserved words are: ${RESERVED_NODE_NAMES.join(', ')}.`,
    );
  }
  return value;
}

/** An instance UUID, or null; 400 otherwise. */
export function checkInstanceUuid(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !isUuid(value)) {
    throw new ApiError('invalid-request', `Expected UUID for instance_uuid: ${String(value)}`);
  }
  return value.toLowerCase();
}

/** Whether a trait is acceptable: a standard os-traits name or a `CUSTOM_*` one, at most 255 long. */
export function isValidTrait(trait: string): boolean {
  return trait.length <= 255 && (STANDARD_TRAITS.has(trait) || CUSTOM_TRAIT.test(trait));
}

/** Ironic's 400 for a trait that is not acceptable; `what` is `trait` or `body`. */
export function invalidTrait(trait: unknown, what: 'trait' | 'body'): ApiError {
  const shown = typeof trait === 'string' ? `'${trait}'` : JSON.stringify(trait);
  return new ApiError(
    'invalid-request',
    `Schema error for ${what}: ${shown} is not valid under any of the given schemas. Possible root cause: ${shown} does not match '^CUSTOM_[A-Z0-9_]+$'`,
  );
}

/** A node identifier from a URL: a UUID or a logical name; 400 in Ironic's words otherwise. */
export function isNodeIdent(value: string): boolean {
  return isUuid(value) || LOGICAL_NAME.test(value);
}
