import { type Driver, INTERFACE_NAMES } from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { type ApiDependencies, type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { links } from '../node-view.js';
import { booleanParam } from '../request-validation.js';

function driverView(driver: Driver, request: FastifyRequest, deps: ApiDependencies, detail: boolean) {
  const base = baseUrl(request);
  const view: Record<string, unknown> = {
    name: driver.name,
    hosts: [deps.conductorHost],
    type: 'dynamic',
    links: links(base, `drivers/${driver.name}`),
    properties: links(base, `drivers/${driver.name}/properties`),
  };
  if (detail) {
    // Each driver brings exactly one implementation per interface, named after the driver itself.
    for (const kind of INTERFACE_NAMES) {
      const implementation = driver.interfaces[kind] ? driver.name : `no-${kind}`;
      view[`default_${kind}_interface`] = implementation;
      view[`enabled_${kind}_interfaces`] = [implementation];
    }
  }
  return view;
}

function findDriver(deps: ApiDependencies, name: string): Driver {
  const driver = deps.drivers.get(name);
  if (!driver)
    throw new ApiError('not-found', `Could not find the following driver(s) or hardware type(s): ${name}.`);
  return driver;
}

/** `GET /v1/drivers`, `GET /v1/drivers/{name}`, `GET /v1/drivers/{name}/properties`. */
export const driverRoutes: ApiPlugin = async (app, deps) => {
  app.get('/v1/drivers', async (request) => {
    const detail = booleanParam(request.query, 'detail') ?? false;
    const type = (request.query as Record<string, unknown>).type;
    const drivers = type === 'classic' ? [] : [...deps.drivers.values()];
    return { drivers: drivers.map((driver) => driverView(driver, request, deps, detail)) };
  });

  app.get<{ Params: { name: string } }>('/v1/drivers/:name', async (request) =>
    driverView(findDriver(deps, request.params.name), request, deps, true),
  );

  app.get<{ Params: { name: string } }>('/v1/drivers/:name/properties', async (request) => ({
    ...findDriver(deps, request.params.name).properties,
  }));
};
