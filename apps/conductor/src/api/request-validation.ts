import type { z } from 'zod';
import { ApiError } from './ironic-errors.js';
import { isMacAddress, isUuid } from './node-fields.js';

/**
 * Parses a request part with a zod schema; the 400 names each bad field, and unknown fields in the words
 * of Ironic's JSON Schema check ("Additional properties are not allowed ('x' was unexpected)").
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => `'${key}'`).join(', ');
      return `Schema error for ${what}: Additional properties are not allowed (${keys} ${issue.keys.length === 1 ? 'was' : 'were'} unexpected)`;
    }
    const path = issue.path.map(String).join('.');
    return path ? `Invalid ${what} field "${path}": ${issue.message}` : `Invalid ${what}: ${issue.message}`;
  });
  throw new ApiError('invalid-request', messages.join('; '));
}

/** One query-string parameter as a string (the first when repeated), or undefined. */
export function queryParam(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];
const ACCEPTED = [...TRUE, ...FALSE]
  .sort()
  .map((word) => `'${word}'`)
  .join(', ');

/** A boolean read strictly as oslo's `bool_from_string` reads it; Ironic's 400 naming the argument otherwise. */
export function parseBoolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new ApiError(
    'invalid-request',
    `Invalid ${name}: Unrecognized value '${String(value)}', acceptable values are: ${ACCEPTED}`,
  );
}

/** A boolean query parameter (see `parseBoolean`), or undefined. */
export function booleanParam(query: unknown, name: string): boolean | undefined {
  const raw = queryParam(query, name);
  return raw === undefined ? undefined : parseBoolean(raw, name);
}

/** A UUID query parameter (lower case), or undefined; Ironic's 400 otherwise. */
export function uuidParam(query: unknown, name: string): string | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined) return undefined;
  if (!isUuid(raw)) throw new ApiError('invalid-request', `Expected UUID for ${name}: ${raw}`);
  return raw.toLowerCase();
}

/** An integer query parameter, or undefined; Ironic's 400 otherwise. */
export function integerParam(query: unknown, name: string): number | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined) return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(raw))
    throw new ApiError('invalid-request', `Expected an integer for ${name}: ${raw}`);
  return Number(raw);
}

/** A MAC address query parameter (lower case), or undefined; Ironic's 400 otherwise. */
export function macParam(query: unknown, name: string): string | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined) return undefined;
  if (!isMacAddress(raw))
    throw new ApiError('invalid-request', `Expected valid MAC address for ${name}: ${raw}`);
  return raw.toLowerCase();
}

/** A comma-separated list query parameter (Ironic's `string_list`), or undefined. */
export function listParam(query: unknown, name: string): string[] | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Ironic's page size check: at most `max`, at least 1, `max` when not given. */
export function pageLimit(query: unknown, max: number): number {
  const limit = integerParam(query, 'limit');
  if (limit === undefined) return max;
  if (limit <= 0) throw new ApiError('invalid-request', 'Limit must be positive');
  return Math.min(limit, max);
}

/** Ironic's sort direction check. */
export function sortDirection(query: unknown): 'asc' | 'desc' {
  const dir = queryParam(query, 'sort_dir') ?? 'asc';
  if (dir !== 'asc' && dir !== 'desc') {
    throw new ApiError(
      'invalid-request',
      `Invalid sort direction: ${dir}. Acceptable values are 'asc' or 'desc'`,
    );
  }
  return dir;
}
