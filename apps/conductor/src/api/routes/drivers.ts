import { type BaseInterface, type Driver, driverInterfaceTable, INTERFACE_NAMES } from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { type ApiDependencies, type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError, notAcceptable } from '../ironic-errors.js';
import { MINOR } from '../microversion.js';
import { links } from '../node-view.js';
import { booleanParam, listParam, queryParam } from '../request-validation.js';
import { resource } from '../routing.js';

/** Interfaces shown from a later microversion than the others (1.30). */
const INTERFACE_VERSIONS: Readonly<Partial<Record<string, number>>> = { storage: 33, rescue: 38, bios: 40 };

/** The microversion that lets `fields` select driver fields. */
const DRIVER_FIELDS_SELECTOR = 77;

function driverView(driver: Driver, request: FastifyRequest, deps: ApiDependencies, detail: boolean) {
  const base = baseUrl(request);
  const minor = request.apiMinor;
  const view: Record<string, unknown> = {
    name: driver.name,
    hosts: [deps.conductorHost],
    links: links(base, `drivers/${driver.name}`),
  };
  if (minor >= MINOR.LINKS_NODESTATES_DRIVERPROPERTIES) {
    view.properties = links(base, `drivers/${driver.name}/properties`);
  }
  if (minor < MINOR.DYNAMIC_DRIVERS) return view;
  view.type = 'dynamic';
  if (detail) {
    const table = driverInterfaceTable(driver);
    for (const kind of INTERFACE_NAMES) {
      if (minor < (INTERFACE_VERSIONS[kind] ?? 0)) continue;
      view[`default_${kind}_interface`] = table[kind].default;
      view[`enabled_${kind}_interfaces`] = [...table[kind].implementations.keys()];
    }
  }
  return view;
}

/** Only the requested fields (`links` always), as Ironic's `driver_sanitize` keeps them; 400 for unknown ones. */
function pick(view: Record<string, unknown>, fields: readonly string[] | undefined) {
  if (fields === undefined) return view;
  const invalid = fields.filter((field) => !(field in view));
  if (invalid.length > 0)
    throw new ApiError('invalid-request', `Field(s) "${invalid.join(', ')}" are not valid`);
  return Object.fromEntries(Object.entries(view).filter(([key]) => key === 'links' || fields.includes(key)));
}

function driverFields(request: FastifyRequest): string[] | undefined {
  const fields = listParam(request.query, 'fields');
  if (fields !== undefined && request.apiMinor < DRIVER_FIELDS_SELECTOR) throw notAcceptable();
  return fields;
}

/** The driver of this name, or Ironic's 404. */
export function findDriver(deps: ApiDependencies, name: string): Driver {
  const driver = deps.drivers.get(name);
  if (!driver)
    throw new ApiError('not-found', `Could not find the following driver(s) or hardware type(s): ${name}.`);
  return driver;
}

/**
 * A driver's properties as Ironic reports them: the `driver_info` fields its default implementations
 * read, and the driver's own.
 */
export function driverProperties(driver: Driver): Record<string, string> {
  const table = driverInterfaceTable(driver);
  const properties: Record<string, string> = {};
  for (const kind of INTERFACE_NAMES) {
    const iface = table[kind].implementations.get(table[kind].default) as BaseInterface | null | undefined;
    Object.assign(properties, iface?.properties ?? {});
  }
  return { ...properties, ...driver.properties };
}

/** `GET /v1/drivers`, `GET /v1/drivers/{name}`, `GET /v1/drivers/{name}/properties`. */
export const driverRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/drivers', {
    GET: {
      args: ['type', 'detail', 'fields'],
      handler: async (request) => {
        const fields = driverFields(request);
        const detail = booleanParam(request.query, 'detail');
        if (fields && detail) {
          throw new ApiError(
            'invalid-request',
            'Can not specify ?detail=True and fields in the same request.',
          );
        }
        const type = queryParam(request.query, 'type');
        if ((detail !== undefined || type !== undefined) && request.apiMinor < MINOR.DYNAMIC_DRIVERS) {
          throw notAcceptable(MINOR.DYNAMIC_DRIVERS);
        }
        if (type !== undefined && type !== 'classic' && type !== 'dynamic') {
          throw new ApiError(
            'invalid-request',
            '"type" filter must be one of "classic" or "dynamic", if specified.',
          );
        }
        const drivers = type === 'classic' ? [] : [...deps.drivers.values()];
        return {
          drivers: drivers.map((driver) => pick(driverView(driver, request, deps, detail ?? false), fields)),
        };
      },
    },
  });

  resource(app, '/v1/drivers/:name', {
    GET: {
      args: ['fields'],
      handler: async (request: FastifyRequest<{ Params: { name: string } }>) => {
        const fields = driverFields(request);
        return pick(driverView(findDriver(deps, request.params.name), request, deps, true), fields);
      },
    },
  });

  resource(app, '/v1/drivers/:name/properties', {
    GET: {
      handler: async (request: FastifyRequest<{ Params: { name: string } }>) =>
        driverProperties(findDriver(deps, request.params.name)),
    },
  });
};
