import {
  DriverBaseError,
  IllegalTransition,
  InvalidParameterValue,
  NodeAlreadyExists,
  NodeLocked,
  NodeNotFound,
  UnsupportedDriverExtension,
} from '@ironic/driver-base';
import type { FastifyReply } from 'fastify';
import { ConductorError } from '../errors.js';

/** Why a request was refused by the API itself (as opposed to by a driver or the store). */
export type ApiErrorKind = 'invalid-request' | 'not-found' | 'conflict' | 'not-acceptable';

const STATUS: Readonly<Record<ApiErrorKind, number>> = {
  'invalid-request': 400,
  'not-found': 404,
  conflict: 409,
  'not-acceptable': 406,
};

/** A request the API refuses, with Ironic's status code and a message naming the bad field. */
export class ApiError extends ConductorError {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly statusCode: number;
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
  ) {
    super(message);
    this.statusCode = STATUS[kind];
    this.code = `API_${kind.toUpperCase().replace('-', '_')}`;
  }
}

/** An Ironic error body: `error_message` is a JSON string of `{faultcode, faultstring, debuginfo}`. */
export interface IronicErrorBody {
  error_message: string;
}

/** The body Ironic sends with an error status. */
export function ironicErrorBody(statusCode: number, faultstring: string): IronicErrorBody {
  return {
    error_message: JSON.stringify({
      faultcode: statusCode >= 500 ? 'Server' : 'Client',
      faultstring,
      debuginfo: null,
    }),
  };
}

/** Sends an Ironic-style error. */
export function sendIronicError(reply: FastifyReply, statusCode: number, faultstring: string): FastifyReply {
  return reply.code(statusCode).type('application/json').send(ironicErrorBody(statusCode, faultstring));
}

/** The status code an error maps to, as Ironic maps its exceptions; undefined for an unexpected error. */
export function statusForError(error: unknown): number | undefined {
  if (error instanceof ApiError) return error.statusCode;
  if (error instanceof NodeNotFound) return 404;
  if (error instanceof NodeLocked || error instanceof NodeAlreadyExists) return 409;
  if (
    error instanceof IllegalTransition ||
    error instanceof InvalidParameterValue ||
    error instanceof UnsupportedDriverExtension
  ) {
    return 400;
  }
  if (error instanceof DriverBaseError) return undefined;
  // Fastify's own client errors (bad JSON, unsupported media type, body too large).
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return statusCode;
  return undefined;
}
