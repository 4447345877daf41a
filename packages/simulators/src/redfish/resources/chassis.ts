import type { BmcIdentity } from '../identity.js';
import {
  CHASSIS_COLLECTION_URI,
  driveUri,
  ENCLOSURE_ID,
  ENCLOSURE_URI,
  MANAGER_URI,
  STORAGE_URI,
  SYSTEM_CHASSIS_URI,
  SYSTEM_ID,
  SYSTEM_URI,
} from '../paths.js';
import type { DriveInfo } from '../types.js';
import { collection, type Json, link, odata, STATUS_OK } from './common.js';

/** `GET /redfish/v1/Chassis`: the server's chassis and the drive backplane inside it. */
export function chassisCollection(): Json {
  return collection(CHASSIS_COLLECTION_URI, 'ChassisCollection', 'Chassis Collection', [
    SYSTEM_CHASSIS_URI,
    ENCLOSURE_URI,
  ]);
}

/** `GET /redfish/v1/Chassis/System.Embedded.1`. */
export function systemChassis(identity: BmcIdentity, powerState: string): Json {
  return {
    ...odata(SYSTEM_CHASSIS_URI, 'Chassis', 'v1_6_0'),
    AssetTag: '',
    ChassisType: 'RackMount',
    Description: 'It represents the properties for physical components for any system.',
    Id: SYSTEM_ID,
    Links: {
      ComputerSystems: [link(SYSTEM_URI)],
      'ComputerSystems@odata.count': 1,
      Contains: [link(ENCLOSURE_URI)],
      'Contains@odata.count': 1,
      ManagedBy: [link(MANAGER_URI)],
      'ManagedBy@odata.count': 1,
    },
    Manufacturer: 'Dell Inc.',
    Model: 'PowerEdge R640',
    Name: 'Computer System Chassis',
    PowerState: powerState,
    SKU: identity.serviceTag,
    SerialNumber: `CN${identity.serviceTag}`,
    Status: STATUS_OK,
  };
}

/** `GET /redfish/v1/Chassis/Enclosure.Internal.0-1`: the backplane, linking the drives in it. */
export function enclosure(drives: readonly DriveInfo[]): Json {
  return {
    ...odata(ENCLOSURE_URI, 'Chassis', 'v1_6_0'),
    ChassisType: 'Enclosure',
    Description: 'It represents the properties for physical components for any system.',
    Id: ENCLOSURE_ID,
    Links: {
      ContainedBy: link(SYSTEM_CHASSIS_URI),
      Drives: drives.map((drive) => link(driveUri(drive.id))),
      'Drives@odata.count': drives.length,
      ManagedBy: [link(MANAGER_URI)],
      'ManagedBy@odata.count': 1,
      Storage: [link(STORAGE_URI)],
      'Storage@odata.count': 1,
    },
    Manufacturer: 'DELL',
    Model: 'BP14G+EXP 0:1',
    Name: 'BP14G+EXP 0:1',
    Status: STATUS_OK,
  };
}
