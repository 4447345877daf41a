import {
  CHASSIS_COLLECTION_URI,
  ENCLOSURE_URI,
  EVENT_SERVICE_URI,
  FABRICS_URI,
  FIRMWARE_INVENTORY_URI,
  JSON_SCHEMAS_URI,
  REGISTRIES_URI,
  ROOT_URI,
  SUBSCRIPTIONS_URI,
  SYSTEM_CHASSIS_URI,
  UPDATE_SERVICE_URI,
} from '../paths.js';
import { chassisCollection, enclosure, systemChassis } from '../resources/chassis.js';
import {
  eventService,
  fabricCollection,
  firmware,
  firmwareInventory,
  jsonSchemaCollection,
  registryCollection,
  subscriptionCollection,
  updateService,
} from '../resources/root-services.js';
import { serviceRoot, versionDocument } from '../resources/service.js';
import { at, found, ok, type Route, under } from '../route-kit.js';

/** The version document, the service root, the chassis and the services the root links. */
export const serviceRoutes: readonly Route[] = [
  at('/redfish', { GET: () => ok(versionDocument()) }),
  at(ROOT_URI, {
    GET: (_r, { identity, sessions }) => ok(serviceRoot(identity, sessions !== undefined)),
  }),
  at(CHASSIS_COLLECTION_URI, { GET: () => ok(chassisCollection()) }),
  at(SYSTEM_CHASSIS_URI, {
    GET: (_r, { identity, state }) => ok(systemChassis(identity, state.powerState)),
  }),
  at(ENCLOSURE_URI, { GET: (_r, { state }) => ok(enclosure(state.drives)) }),
  at(EVENT_SERVICE_URI, { GET: () => ok(eventService()) }),
  at(SUBSCRIPTIONS_URI, { GET: () => ok(subscriptionCollection()) }),
  at(UPDATE_SERVICE_URI, { GET: () => ok(updateService()) }),
  at(FIRMWARE_INVENTORY_URI, { GET: () => ok(firmwareInventory()) }),
  under(FIRMWARE_INVENTORY_URI, { GET: (request, _c, id) => found(firmware(id), request.path) }),
  at(REGISTRIES_URI, { GET: () => ok(registryCollection()) }),
  at(FABRICS_URI, { GET: () => ok(fabricCollection()) }),
  at(JSON_SCHEMAS_URI, { GET: () => ok(jsonSchemaCollection()) }),
];
