import type { z } from 'zod';
import { ApiError } from './ironic-errors.js';

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
      return `Additional properties are not allowed (${keys} ${issue.keys.length === 1 ? 'was' : 'were'} unexpected)`;
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

const TRUE = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

/** A boolean query parameter, read strictly as oslo's `bool_from_string` does; 400 naming it otherwise. */
export function booleanParam(query: unknown, name: string): boolean | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined) return undefined;
  const text = raw.trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new ApiError(
    'invalid-request',
    `Invalid value for ${name}: ${JSON.stringify(raw)}; expected a boolean such as true or false`,
  );
}
