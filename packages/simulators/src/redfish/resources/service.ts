import type { BmcIdentity } from '../identity.js';
import {
  ACCOUNT_SERVICE_URI,
  CHASSIS_COLLECTION_URI,
  EVENT_SERVICE_URI,
  FABRICS_URI,
  JOBS_URI,
  JSON_SCHEMAS_URI,
  LOG_SERVICES_URI,
  MANAGER_ETHERNET_URI,
  MANAGER_ID,
  MANAGER_URI,
  MANAGERS_URI,
  NETWORK_PROTOCOL_URI,
  REGISTRIES_URI,
  ROOT_URI,
  SESSION_SERVICE_URI,
  SESSIONS_URI,
  SYSTEM_CHASSIS_URI,
  SYSTEM_URI,
  SYSTEMS_URI,
  TASK_SERVICE_URI,
  UPDATE_SERVICE_URI,
} from '../paths.js';
import { collection, type Json, link, odata, redfishTime } from './common.js';

/** `GET /redfish`: the protocol version document. */
export function versionDocument(): Json {
  return { v1: `${ROOT_URI}/` };
}

/**
 * `GET /redfish/v1`: the iDRAC service root. Without a session service (`sessions` false) it links
 * neither `SessionService` nor `Links.Sessions`, so clients fall back to HTTP Basic.
 */
export function serviceRoot(identity: BmcIdentity, sessions: boolean): Json {
  return {
    ...odata(ROOT_URI, 'ServiceRoot', 'v1_3_0'),
    AccountService: link(ACCOUNT_SERVICE_URI),
    Chassis: link(CHASSIS_COLLECTION_URI),
    Description: 'Root Service',
    EventService: link(EVENT_SERVICE_URI),
    Fabrics: link(FABRICS_URI),
    Id: 'RootService',
    JsonSchemas: link(JSON_SCHEMAS_URI),
    ...(sessions ? { Links: { Sessions: link(SESSIONS_URI) } } : {}),
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
    Registries: link(REGISTRIES_URI),
    ...(sessions ? { SessionService: link(SESSION_SERVICE_URI) } : {}),
    Systems: link(SYSTEMS_URI),
    Tasks: link(TASK_SERVICE_URI),
    UpdateService: link(UPDATE_SERVICE_URI),
    UUID: identity.uuid,
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
    ...odata(MANAGER_URI, 'Manager', 'v1_3_3'),
    Actions: {
      '#Manager.Reset': {
        'ResetType@Redfish.AllowableValues': ['GracefulRestart'],
        target: `${MANAGER_URI}/Actions/Manager.Reset`,
      },
    },
    DateTime: redfishTime(now),
    DateTimeLocalOffset: '+00:00',
    Description: 'BMC',
    EthernetInterfaces: link(MANAGER_ETHERNET_URI),
    FirmwareVersion: '4.40.00.00',
    Id: MANAGER_ID,
    Links: {
      ManagerForChassis: [link(SYSTEM_CHASSIS_URI)],
      'ManagerForChassis@odata.count': 1,
      ManagerForServers: [link(SYSTEM_URI)],
      'ManagerForServers@odata.count': 1,
      ManagerInChassis: link(SYSTEM_CHASSIS_URI),
      Oem: { Dell: { Jobs: link(JOBS_URI) } },
    },
    LogServices: link(LOG_SERVICES_URI),
    ManagerType: 'BMC',
    Model: '14G Monolithic',
    Name: 'Manager',
    NetworkProtocol: link(NETWORK_PROTOCOL_URI),
    PowerState: 'On',
    Status: { Health: 'OK', State: 'Enabled' },
    UUID: identity.uuid,
  };
}
