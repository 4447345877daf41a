import type { BmcIdentity } from '../identity.js';
import {
  JOBS_URI,
  MANAGER_ID,
  MANAGER_URI,
  MANAGERS_URI,
  ROOT_URI,
  SYSTEM_URI,
  SYSTEMS_URI,
} from '../paths.js';

type Json = Record<string, unknown>;

const link = (uri: string) => ({ '@odata.id': uri });

/** `GET /redfish`: the protocol version document. */
export function versionDocument(): Json {
  return { v1: `${ROOT_URI}/` };
}

/** `GET /redfish/v1`: the iDRAC service root. */
export function serviceRoot(identity: BmcIdentity): Json {
  return {
    '@odata.context': '/redfish/v1/$metadata#ServiceRoot.ServiceRoot',
    '@odata.id': ROOT_URI,
    '@odata.type': '#ServiceRoot.v1_3_0.ServiceRoot',
    AccountService: link(`${MANAGER_URI}/AccountService`),
    Chassis: link(`${ROOT_URI}/Chassis`),
    Description: 'Root Service',
    EventService: link(`${ROOT_URI}/EventService`),
    Fabrics: link(`${ROOT_URI}/Fabrics`),
    Id: 'RootService',
    JsonSchemas: link(`${ROOT_URI}/JSONSchemas`),
    Links: { Sessions: link(`${ROOT_URI}/Sessions`) },
    Managers: link(MANAGERS_URI),
    Name: 'Root Service',
    Oem: {
      Dell: {
        '@odata.context': '/redfish/v1/$metadata#DellServiceRoot.DellServiceRoot',
        '@odata.type': '#DellServiceRoot.v1_0_0.ServiceRootSummary',
        IsBranded: 0,
        ManagerMACAddress: identity.macAddress,
        ServiceTag: identity.serviceTag,
      },
    },
    Product: 'Integrated Dell Remote Access Controller',
    ProtocolFeaturesSupported: {
      ExpandQuery: { ExpandAll: true, Levels: true, Links: true, MaxLevels: 1, NoLinks: true },
      FilterQuery: true,
      SelectQuery: true,
    },
    RedfishVersion: '1.4.0',
    Registries: link(`${ROOT_URI}/Registries`),
    SessionService: link(`${ROOT_URI}/SessionService`),
    Systems: link(SYSTEMS_URI),
    Tasks: link(`${ROOT_URI}/TaskService`),
    UpdateService: link(`${ROOT_URI}/UpdateService`),
  };
}

/** A Redfish resource collection of `members`. */
export function collection(uri: string, type: string, name: string, members: readonly string[]): Json {
  return {
    '@odata.context': `/redfish/v1/$metadata#${type}.${type}`,
    '@odata.id': uri,
    '@odata.type': `#${type}.${type}`,
    Description: `Collection of ${name}`,
    Members: members.map(link),
    'Members@odata.count': members.length,
    Name: name,
  };
}

/** `GET /redfish/v1/Systems`. */
export function systemCollection(): Json {
  return collection(SYSTEMS_URI, 'ComputerSystemCollection', 'Computer System Collection', [SYSTEM_URI]);
}

/** `GET /redfish/v1/Managers`. */
export function managerCollection(): Json {
  return collection(MANAGERS_URI, 'ManagerCollection', 'Manager', [MANAGER_URI]);
}

/** `GET /redfish/v1/Managers/iDRAC.Embedded.1`: the iDRAC, with its Dell job queue link. */
export function manager(identity: BmcIdentity, now: number): Json {
  return {
    '@odata.context': '/redfish/v1/$metadata#Manager.Manager',
    '@odata.id': MANAGER_URI,
    '@odata.type': '#Manager.v1_3_3.Manager',
    Actions: {
      '#Manager.Reset': {
        'ResetType@Redfish.AllowableValues': ['GracefulRestart'],
        target: `${MANAGER_URI}/Actions/Manager.Reset`,
      },
    },
    DateTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    DateTimeLocalOffset: '+00:00',
    Description: 'BMC',
    EthernetInterfaces: link(`${MANAGER_URI}/EthernetInterfaces`),
    FirmwareVersion: '4.40.00.00',
    Id: MANAGER_ID,
    Links: {
      ManagerForServers: [link(SYSTEM_URI)],
      'ManagerForServers@odata.count': 1,
      Oem: { Dell: { Jobs: link(JOBS_URI) } },
    },
    LogServices: link(`${MANAGER_URI}/LogServices`),
    ManagerType: 'BMC',
    Model: '14G Monolithic',
    Name: 'Manager',
    NetworkProtocol: link(`${MANAGER_URI}/NetworkProtocol`),
    PowerState: 'On',
    Status: { Health: 'OK', State: 'Enabled' },
    UUID: identity.uuid,
  };
}
