import {
  EVENT_SERVICE_URI,
  FABRICS_URI,
  FIRMWARE_INVENTORY_URI,
  JSON_SCHEMAS_URI,
  REGISTRIES_URI,
  SUBSCRIPTIONS_URI,
  UPDATE_SERVICE_URI,
} from '../paths.js';
import { collection, type Json, link, odata, STATUS_OK } from './common.js';

/** Firmware the iDRAC reports: its own and the BIOS. */
export const FIRMWARE = [
  {
    id: 'Installed-25227-4.40.00.00',
    name: 'Integrated Dell Remote Access Controller',
    version: '4.40.00.00',
  },
  { id: 'Installed-159-2.10.2', name: 'BIOS', version: '2.10.2' },
] as const;

/** `GET /redfish/v1/EventService` and its (empty) subscriptions. */
export function eventService(): Json {
  return {
    ...odata(EVENT_SERVICE_URI, 'EventService', 'v1_0_6'),
    DeliveryRetryAttempts: 3,
    DeliveryRetryIntervalSeconds: 5,
    Description: 'Event Service represents the properties for the service',
    EventTypesForSubscription: [
      'StatusChange',
      'ResourceUpdated',
      'ResourceAdded',
      'ResourceRemoved',
      'Alert',
    ],
    Id: 'EventService',
    Name: 'Event Service',
    ServiceEnabled: false,
    Status: { Health: 'OK', HealthRollup: 'OK', State: 'Disabled' },
    Subscriptions: link(SUBSCRIPTIONS_URI),
  };
}

export function subscriptionCollection(): Json {
  return collection(SUBSCRIPTIONS_URI, 'EventDestinationCollection', 'Event Subscriptions Collection', []);
}

/** `GET /redfish/v1/UpdateService` and its firmware inventory. */
export function updateService(): Json {
  return {
    ...odata(UPDATE_SERVICE_URI, 'UpdateService', 'v1_6_0'),
    Description: 'Represents the properties for the Update Service',
    FirmwareInventory: link(FIRMWARE_INVENTORY_URI),
    Id: 'UpdateService',
    Name: 'Update Service',
    ServiceEnabled: true,
    Status: STATUS_OK,
  };
}

export function firmwareInventory(): Json {
  return collection(
    FIRMWARE_INVENTORY_URI,
    'SoftwareInventoryCollection',
    'Firmware Inventory Collection',
    FIRMWARE.map((item) => `${FIRMWARE_INVENTORY_URI}/${item.id}`),
  );
}

export function firmware(id: string): Json | undefined {
  const item = FIRMWARE.find((entry) => entry.id === id);
  if (!item) return undefined;
  return {
    ...odata(`${FIRMWARE_INVENTORY_URI}/${id}`, 'SoftwareInventory', 'v1_2_0'),
    Description: 'Represents Firmware Inventory',
    Id: id,
    Name: item.name,
    Status: { Health: 'OK', State: 'Enabled' },
    Updateable: true,
    Version: item.version,
  };
}

/** Registries, fabrics and schemas: the simulator serves none, so each collection is empty. */
export function registryCollection(): Json {
  return collection(REGISTRIES_URI, 'MessageRegistryFileCollection', 'Registry File Collection', []);
}

export function fabricCollection(): Json {
  return collection(FABRICS_URI, 'FabricCollection', 'Fabric Collection', []);
}

export function jsonSchemaCollection(): Json {
  return collection(JSON_SCHEMAS_URI, 'JsonSchemaFileCollection', 'JSON Schema File Collection', []);
}
