import { isResetType } from '../bmc-state.js';
import { messages, RedfishHttpError } from '../messages.js';
import {
  BIOS_URI,
  BOOT_OPTIONS_URI,
  MEMORY_URI,
  PROCESSORS_URI,
  RESET_URI,
  SIMPLE_STORAGE_URI,
  SYSTEM_ETHERNET_URI,
  SYSTEM_URI,
  SYSTEMS_URI,
} from '../paths.js';
import { systemCollection } from '../resources/service.js';
import { computerSystem } from '../resources/system.js';
import {
  bios,
  bootOption,
  bootOptionCollection,
  dimm,
  hostNic,
  hostNicCollection,
  memoryCollection,
  processor,
  processorCollection,
  simpleStorage,
  simpleStorageCollection,
} from '../resources/system-inventory.js';
import {
  at,
  found,
  ok,
  parseJson,
  type RedfishRequest,
  type RedfishResponse,
  type Route,
  type RouteContext,
  under,
} from '../route-kit.js';

function reset(request: RedfishRequest, context: RouteContext): RedfishResponse {
  const body = parseJson(request.rawBody);
  const action = 'ComputerSystem.Reset';
  const resetType =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).ResetType : undefined;
  if (resetType === undefined) {
    throw new RedfishHttpError(400, [messages.actionParameterMissing(action, 'ResetType')]);
  }
  if (!isResetType(resetType)) {
    const shown = typeof resetType === 'string' ? resetType : JSON.stringify(resetType);
    throw new RedfishHttpError(400, [messages.actionParameterNotInList(shown, 'ResetType', action)]);
  }
  context.state.reset(resetType);
  return { status: 204 };
}

/** The system, its power action, and what the system links: BIOS, boot options, NICs, memory, CPUs. */
export const systemRoutes: readonly Route[] = [
  at(SYSTEMS_URI, { GET: () => ok(systemCollection()) }),
  at(SYSTEM_URI, { GET: (_r, { identity, state }) => ok(computerSystem(identity, state.powerState)) }),
  at(RESET_URI, { POST: reset }),
  at(BIOS_URI, { GET: () => ok(bios()) }),
  at(BOOT_OPTIONS_URI, { GET: () => ok(bootOptionCollection()) }),
  under(BOOT_OPTIONS_URI, { GET: (request, _c, id) => found(bootOption(id), request.path) }),
  at(SYSTEM_ETHERNET_URI, { GET: () => ok(hostNicCollection()) }),
  under(SYSTEM_ETHERNET_URI, {
    GET: (request, { identity }, id) => found(hostNic(identity, id), request.path),
  }),
  at(MEMORY_URI, { GET: () => ok(memoryCollection()) }),
  under(MEMORY_URI, { GET: (request, _c, id) => found(dimm(id), request.path) }),
  at(PROCESSORS_URI, { GET: () => ok(processorCollection()) }),
  under(PROCESSORS_URI, { GET: (request, _c, id) => found(processor(id), request.path) }),
  at(SIMPLE_STORAGE_URI, { GET: () => ok(simpleStorageCollection()) }),
  under(SIMPLE_STORAGE_URI, {
    GET: (request, { state }, id) => found(simpleStorage(id, state.drives), request.path),
  }),
];
