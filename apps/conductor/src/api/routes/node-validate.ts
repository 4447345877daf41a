import {
  type BaseInterface,
  chosenImplementation,
  driverInterfaceTable,
  type InterfaceName,
  InvalidParameterValue,
  type Task,
  UnsupportedDriverExtension,
} from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { errorMessage } from '../../error-message.js';
import type { ApiDependencies, ApiPlugin } from '../api-dependencies.js';
import { ApiError, notAcceptable } from '../ironic-errors.js';
import { MINOR } from '../microversion.js';
import { withNode } from '../node-actions.js';
import { isUuid } from '../node-fields.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { queryParam, uuidParam } from '../request-validation.js';
import { resource } from '../routing.js';

/** The interfaces validated, in the order Ironic answers them (core ones first; vendor never). */
const VALIDATED: readonly InterfaceName[] = [
  'boot',
  'deploy',
  'management',
  'network',
  'power',
  'bios',
  'console',
  'inspect',
  'raid',
  'rescue',
  'storage',
];

/** One interface's validation: `{result, reason?}` as Ironic's `validate_driver_interfaces` reports it. */
async function validateInterface(task: Task, kind: InterfaceName, host: string) {
  const iface = (task.driver.interfaces as unknown as Record<string, BaseInterface | undefined>)[kind];
  // Network and storage always have one (`noop`), even when the driver brings none; see driverInterfaceTable.
  const implementation =
    iface ??
    driverInterfaceTable(task.driver)[kind].implementations.get(
      chosenImplementation(task.driver, task.node, kind),
    );
  try {
    if (!implementation) throw new UnsupportedDriverExtension(task.node.driver, kind);
    await implementation.validate?.(task);
    return { result: true };
  } catch (error) {
    if (error instanceof InvalidParameterValue || error instanceof UnsupportedDriverExtension) {
      return { result: false, reason: error.message };
    }
    task.logger.error({ err: error, interface: kind }, 'unexpected error while validating an interface');
    return {
      result: false,
      reason: `Unexpected exception, traceback saved into log by ironic conductor service that is running on ${host}: ${errorMessage(error)}`,
    };
  }
}

async function validateNode(deps: ApiDependencies, ident: string) {
  return withNode(deps, ident, { shared: true, purpose: 'driver interface validation' }, async (task) => {
    const results: Record<string, { result: boolean; reason?: string }> = {};
    for (const kind of VALIDATED) results[kind] = await validateInterface(task, kind, deps.conductorHost);
    return results;
  });
}

/** `GET /v1/nodes/{id}/validate` and Ironic's older form `GET /v1/nodes/validate?node=...`. */
export const nodeValidateRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes/:ident/validate', {
    GET: { handler: (request: FastifyRequest<IdentParams>) => validateNode(deps, nodeIdent(request)) },
  });
  resource(app, '/v1/nodes/validate', {
    GET: {
      args: ['node', 'node_uuid'],
      handler: (request) => {
        const node = queryParam(request.query, 'node');
        const nodeUuid = uuidParam(request.query, 'node_uuid');
        if (node !== undefined && request.apiMinor < MINOR.NODE_NAME && !isUuid(node)) throw notAcceptable();
        const ident = nodeUuid ?? node;
        if (ident === undefined) throw new ApiError('invalid-request', 'Missing mandatory parameter: node');
        return validateNode(deps, ident);
      },
    },
  });
};
