import {
  type BootDevice,
  type ManagementInterface,
  type Task,
  UnsupportedDriverExtension,
} from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import type { ApiPlugin } from '../api-dependencies.js';
import { argumentsOf, booleanArgument, requiredArgument, stringArgument } from '../arguments.js';
import { withNode } from '../node-actions.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { resource } from '../routing.js';

/** The node's management interface, validated; `UnsupportedDriverExtension` when it has none. */
async function management(task: Task, method: keyof ManagementInterface): Promise<ManagementInterface> {
  const iface = task.driver.interfaces.management;
  if (!iface?.[method]) throw new UnsupportedDriverExtension(task.driver.name, 'management');
  await iface.validate?.(task);
  return iface;
}

/** `GET/PUT /v1/nodes/{id}/management/boot_device` and `GET .../boot_device/supported`. */
export const nodeManagementRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes/:ident/management/boot_device', {
    GET: {
      handler: (request: FastifyRequest<IdentParams>) =>
        withNode(deps, nodeIdent(request), { purpose: 'getting boot device' }, async (task) =>
          (await management(task, 'getBootDevice')).getBootDevice!(task),
        ),
    },
    PUT: {
      args: ['boot_device', 'persistent'],
      bodyArgs: true,
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const args = argumentsOf(request);
        requiredArgument(args, 'boot_device');
        const device = stringArgument(args, 'boot_device') as BootDevice;
        const persistent = booleanArgument(args, 'persistent') ?? false;
        await withNode(deps, nodeIdent(request), { purpose: 'setting boot device' }, async (task) =>
          (await management(task, 'setBootDevice')).setBootDevice!(task, device, { persistent }),
        );
        return reply.code(204).send();
      },
    },
  });

  resource(app, '/v1/nodes/:ident/management/boot_device/supported', {
    GET: {
      handler: (request: FastifyRequest<IdentParams>) =>
        withNode(deps, nodeIdent(request), { purpose: 'getting supported boot devices' }, async (task) => ({
          supported_boot_devices: [
            ...(await (await management(task, 'getSupportedBootDevices')).getSupportedBootDevices!(task)),
          ],
        })),
    },
  });
};
