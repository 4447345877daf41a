import type { FastifyInstance, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import { ApiError, sendRoutingError } from './ironic-errors.js';

/** The HTTP methods a resource may answer. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** One of them. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One method of a resource. */
export interface MethodSpec<Route extends RouteGenericInterface = RouteGenericInterface> {
  /**
   * The arguments the method takes (Ironic's method parameters): query parameters, and for `bodyArgs`
   * methods the fields of the JSON body too. Anything else is 400 "Unexpected arguments: ...".
   */
  readonly args?: readonly string[];
  /** Whether the JSON body's fields are arguments (Ironic's methods without a body parameter). */
  readonly bodyArgs?: boolean;
  readonly handler: (request: FastifyRequest<Route>, reply: FastifyReply) => unknown;
}

/** A resource: the methods one path answers. */
export type ResourceSpec = {
  // biome-ignore lint/suspicious/noExplicitAny: each method types its own route parameters
  readonly [M in HttpMethod]?: MethodSpec<any>;
};

/** Ironic's words for arguments a method does not take. */
export function unexpectedArguments(names: readonly string[]): ApiError {
  return new ApiError('invalid-request', `Unexpected arguments: ${[...names].sort().join(', ')}`);
}

function checkArguments(request: FastifyRequest, spec: MethodSpec): void {
  const allowed = new Set(spec.args ?? []);
  const given = Object.keys((request.query as Record<string, unknown> | undefined) ?? {});
  const body = request.body;
  if (spec.bodyArgs && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    given.push(...Object.keys(body));
  }
  const unexpected = [...new Set(given.filter((name) => !allowed.has(name)))];
  if (unexpected.length > 0) throw unexpectedArguments(unexpected);
}

/** Whether the app already matches `/x/` to `/x` by itself (Fastify's `ignoreTrailingSlash`). */
function ignoresTrailingSlash(app: FastifyInstance): boolean {
  const config = app.initialConfig as {
    ignoreTrailingSlash?: boolean;
    routerOptions?: { ignoreTrailingSlash?: boolean };
  };
  return config.ignoreTrailingSlash === true || config.routerOptions?.ignoreTrailingSlash === true;
}

/**
 * Registers a resource as Ironic serves it: at `path` and at `path/` (ironicclient asks for both), each
 * method checking its arguments, and every other method answering 405 with an `Allow` header.
 */
export function resource(app: FastifyInstance, path: string, spec: ResourceSpec): void {
  const urls = ignoresTrailingSlash(app) || path.endsWith('/') ? [path] : [path, `${path}/`];
  const allowed = HTTP_METHODS.filter((method) => spec[method]);
  for (const url of urls) {
    for (const method of HTTP_METHODS) {
      const methodSpec = spec[method];
      if (methodSpec) {
        app.route({
          method,
          url,
          handler: async (request, reply) => {
            checkArguments(request, methodSpec);
            return methodSpec.handler(request, reply);
          },
        });
      } else {
        app.route({
          method,
          url,
          handler: async (_request, reply) =>
            sendRoutingError(reply.header('Allow', allowed.join(', ')), 405),
        });
      }
    }
  }
}
