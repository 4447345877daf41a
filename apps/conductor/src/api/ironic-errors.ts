import {
  DriverBaseError,
  IllegalTransition,
  InvalidParameterValue,
  LookupNotFound,
  NodeAlreadyExists,
  NodeInMaintenance,
  NodeLocked,
  NodeNotFound,
  NodeProtected,
  UnsupportedDriverExtension,
} from '@ironic/driver-base';
import type { FastifyReply } from 'fastify';
import { ConductorError } from '../errors.js';
import { PortAlreadyExists, PortNotFound } from '../store/port.js';

/** Why a request was refused by the API itself (as opposed to by a driver or the store). */
export type ApiErrorKind = 'invalid-request' | 'forbidden' | 'not-found' | 'conflict' | 'not-acceptable';

const STATUS: Readonly<Record<ApiErrorKind, number>> = {
  'invalid-request': 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'not-acceptable': 406,
};

/** Ironic's words for a request its microversion does not allow (406). */
export function notAcceptable(minimum?: number): ApiError {
  return new ApiError(
    'not-acceptable',
    minimum === undefined
      ? 'Request not acceptable.'
      : `Request not acceptable. The minimal required API version should be 1.${minimum}`,
  );
}

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
    this.code = `API_${kind.toUpperCase().replaceAll('-', '_')}`;
  }
}

/** An Ironic error body: `error_message` is a JSON string of `{faultcode, faultstring, debuginfo}`. */
export interface IronicErrorBody {
  error_message: string;
}

/**
 * JSON as Python's `json.dumps` writes it (`", "` and `": "` separators, non-ASCII escaped), since
 * Ironic's `error_message` is such a string and clients may show it verbatim.
 */
export function pythonJson(value: Record<string, string | number | null>): string {
  const members = Object.entries(value).map(
    ([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`,
  );
  return `{${members.join(', ')}}`.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The body Ironic sends with an error status. */
export function ironicErrorBody(statusCode: number, faultstring: string): IronicErrorBody {
  return {
    error_message: pythonJson({
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

const ROUTING_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
};

/**
 * The body Ironic's web framework sends when no route matches (404) or the method is wrong (405):
 * `error_message` holds `{code, title, description}`, not a faultstring.
 */
export function sendRoutingError(
  reply: FastifyReply,
  statusCode: 404 | 405 | 406,
  description = '',
): FastifyReply {
  const error_message = pythonJson({
    code: statusCode,
    title: ROUTING_TITLES[statusCode] ?? '',
    description,
  });
  return reply.code(statusCode).type('application/json').send({ error_message });
}

/** The status code an error maps to, as Ironic maps its exceptions; undefined for an unexpected error. */
export function statusForError(error: unknown): number | undefined {
  if (error instanceof ApiError) return error.statusCode;
  if (error instanceof NodeNotFound || error instanceof LookupNotFound || error instanceof PortNotFound) {
    return 404;
  }
  if (
    error instanceof NodeLocked ||
    error instanceof NodeAlreadyExists ||
    error instanceof PortAlreadyExists
  ) {
    return 409;
  }
  if (error instanceof NodeProtected) return 403;
  if (
    error instanceof IllegalTransition ||
    error instanceof InvalidParameterValue ||
    error instanceof UnsupportedDriverExtension ||
    error instanceof NodeInMaintenance
  ) {
    return 400;
  }
  if (error instanceof DriverBaseError) return undefined;
  // Fastify's own client errors (bad JSON, unsupported media type, body too large).
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return statusCode;
  return undefined;
}
