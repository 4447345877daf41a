import { NodeNotFound } from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './ironic-errors.js';
import { MINOR } from './microversion.js';
import { isNodeIdent, isUuid } from './node-fields.js';

/** Route parameters naming a node. */
export interface IdentParams {
  Params: { ident: string };
}

/**
 * The node a URL names, checked as Ironic checks it: a UUID or a logical name (400 otherwise); names
 * only from 1.5, before which a name finds no node.
 */
export function nodeIdent(request: FastifyRequest<IdentParams>): string {
  const ident = request.params.ident;
  if (!isNodeIdent(ident)) throw new ApiError('invalid-request', `Expected UUID or name for node: ${ident}`);
  if (isUuid(ident)) return ident.toLowerCase();
  if (request.apiMinor < MINOR.NODE_NAME) throw new NodeNotFound(ident);
  return ident;
}
