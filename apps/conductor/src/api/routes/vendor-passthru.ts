import {
  type Driver,
  InvalidParameterValue,
  type JsonObject,
  type JsonValue,
  type VendorHttpMethod,
  type VendorMethod,
} from '@ironic/driver-base';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from '../../error-message.js';
import type { ApiDependencies, ApiPlugin } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { requireDriver } from '../node-actions.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { queryParam } from '../request-validation.js';
import { type HttpMethod, type MethodSpec, type ResourceSpec, resource } from '../routing.js';
import { findDriver } from './drivers.js';

/** A vendor method's metadata as Ironic lists it (`get_vendor_passthru_metadata`). */
function metadata(method: VendorMethod<unknown>, withLock: boolean) {
  return {
    http_methods: [...method.httpMethods],
    async: method.async ?? true,
    description: method.description ?? '',
    attach: method.attach ?? false,
    ...(withLock ? { require_exclusive_lock: method.requireExclusiveLock ?? true } : {}),
  };
}

function listMethods(methods: Readonly<Record<string, VendorMethod<never>>> | undefined, withLock: boolean) {
  return Object.fromEntries(
    Object.entries(methods ?? {}).map(([name, method]) => [
      name,
      metadata(method as VendorMethod<unknown>, withLock),
    ]),
  );
}

/** The method a call names, checked as Ironic's conductor checks it. */
function findMethod<T>(
  methods: Readonly<Record<string, VendorMethod<T>>> | undefined,
  name: string,
  httpMethod: string,
): VendorMethod<T> {
  const method = methods?.[name];
  if (!method) throw new InvalidParameterValue(`No handler for method ${name}`);
  if (!(method.httpMethods as readonly string[]).includes(httpMethod)) {
    throw new InvalidParameterValue(`The method ${name} does not support HTTP ${httpMethod}`);
  }
  return method;
}

function methodName(request: FastifyRequest): string {
  // `.../vendor_passthru/<method>` (ironicclient's form) or `.../vendor_passthru?method=<method>`.
  const name = (request.params as { method?: string }).method ?? queryParam(request.query, 'method');
  if (!name) throw new ApiError('invalid-request', 'Missing mandatory parameter: method');
  return name;
}

function dataOf(request: FastifyRequest): JsonObject {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as JsonObject) : {};
}

/** The answer to a call: 202 with no body when it runs on, else 200 with its return value. */
function answer(reply: FastifyReply, method: VendorMethod<unknown>, result: JsonValue | undefined) {
  if (method.async ?? true) return reply.code(202).send();
  if (method.attach)
    return reply
      .code(200)
      .type('application/octet-stream')
      .send(Buffer.from(String(result ?? '')));
  return reply
    .code(200)
    .type('application/json')
    .send(JSON.stringify(result ?? null));
}

async function callNodeMethod(
  request: FastifyRequest<IdentParams>,
  reply: FastifyReply,
  deps: ApiDependencies,
) {
  const ident = nodeIdent(request);
  const name = methodName(request);
  const data = dataOf(request);
  const task = await deps.nodes.acquire(ident, { shared: true, purpose: 'calling vendor passthru' });
  let method: VendorMethod<typeof task>;
  try {
    requireDriver(task, deps);
    const vendor = task.driver.interfaces.vendor;
    method = findMethod(vendor?.methods, name, request.method);
    if (method.requireExclusiveLock ?? true) await task.upgradeLock();
    await vendor?.validateMethod?.(task, name, data);
    if (method.async ?? true) {
      deps.background.run(`vendor method ${name} on node ${task.node.uuid}`, async () => {
        try {
          await method.run(task, request.method as VendorHttpMethod, data);
        } catch (error) {
          task.logger.error(
            { err: error, method: name },
            `vendor passthru method failed: ${errorMessage(error)}`,
          );
        } finally {
          await task.release();
        }
      });
      return answer(reply, method, undefined);
    }
    const result = await method.run(task, request.method as VendorHttpMethod, data);
    await task.release();
    return answer(reply, method, result);
  } catch (error) {
    await task.release();
    throw error;
  }
}

async function callDriverMethod(
  request: FastifyRequest<{ Params: { name: string } }>,
  reply: FastifyReply,
  deps: ApiDependencies,
) {
  const driver: Driver = findDriver(deps, request.params.name);
  const name = methodName(request);
  const method = findMethod(driver.interfaces.vendor?.driverMethods, name, request.method);
  const data = dataOf(request);
  if (method.async ?? true) {
    deps.background.run(`driver vendor method ${name} of ${driver.name}`, async () => {
      await method.run(undefined, request.method as VendorHttpMethod, data);
    });
    return answer(reply, method, undefined);
  }
  return answer(reply, method, await method.run(undefined, request.method as VendorHttpMethod, data));
}

/** Every HTTP method calling one handler: vendor methods say which they answer. */
// biome-ignore lint/suspicious/noExplicitAny: the handler types its own route parameters
function anyMethod(spec: MethodSpec<any>): ResourceSpec {
  const methods: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  return Object.fromEntries(methods.map((method) => [method, spec]));
}

/**
 * Vendor passthru: `GET /v1/nodes/{id}/vendor_passthru/methods` and `GET
 * /v1/drivers/{name}/vendor_passthru/methods` list the methods; `.../vendor_passthru?method=...` calls
 * one with the JSON body as its arguments (202 when it runs on, 200 with its result otherwise).
 */
export const vendorPassthruRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes/:ident/vendor_passthru/methods', {
    GET: {
      handler: (request: FastifyRequest<IdentParams>) =>
        deps.nodes.withTask(
          nodeIdent(request),
          { shared: true, purpose: 'listing vendor passthru methods' },
          async (task) => {
            requireDriver(task, deps);
            return listMethods(task.driver.interfaces.vendor?.methods, true);
          },
        ),
    },
  });
  const nodeCall = anyMethod({
    args: ['method'],
    handler: (request, reply) => callNodeMethod(request, reply, deps),
  });
  resource(app, '/v1/nodes/:ident/vendor_passthru', nodeCall);
  resource(app, '/v1/nodes/:ident/vendor_passthru/:method', nodeCall);
  resource(app, '/v1/drivers/:name/vendor_passthru/methods', {
    GET: {
      handler: async (request: FastifyRequest<{ Params: { name: string } }>) =>
        listMethods(findDriver(deps, request.params.name).interfaces.vendor?.driverMethods, false),
    },
  });
  const driverCall = anyMethod({
    args: ['method'],
    handler: (request, reply) => callDriverMethod(request, reply, deps),
  });
  resource(app, '/v1/drivers/:name/vendor_passthru', driverCall);
  resource(app, '/v1/drivers/:name/vendor_passthru/:method', driverCall);
};
