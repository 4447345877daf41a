import type { FastifyRequest } from 'fastify';
import { ApiError } from './ironic-errors.js';
import { parseBoolean } from './request-validation.js';

/**
 * A method's arguments as Ironic's web framework gathers them: the query string's and, for methods
 * without a body parameter, the JSON body's fields.
 */
export function argumentsOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  const fromBody = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  return { ...(request.query as Record<string, unknown>), ...(fromBody as Record<string, unknown>) };
}

/** A required argument; Ironic's 400 "Missing mandatory parameter: x" when absent. */
export function requiredArgument(args: Record<string, unknown>, name: string): unknown {
  if (args[name] === undefined || args[name] === null) {
    throw new ApiError('invalid-request', `Missing mandatory parameter: ${name}`);
  }
  return args[name];
}

/** A string argument (Ironic's `args.string`), or undefined. */
export function stringArgument(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new ApiError('invalid-request', `Expected string for ${name}: ${String(value)}`);
  return value;
}

/** A boolean argument (Ironic's `args.boolean`), or undefined. */
export function booleanArgument(args: Record<string, unknown>, name: string): boolean | undefined {
  const value = args[name];
  return value === undefined || value === null ? undefined : parseBoolean(value, name);
}

/** An integer argument (Ironic's `args.integer`), or undefined. */
export function integerArgument(args: Record<string, unknown>, name: string): number | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  const number =
    typeof value === 'number' ? value : /^\s*[-+]?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(number)) {
    throw new ApiError('invalid-request', `Expected an integer for ${name}: ${String(value)}`);
  }
  return number;
}
