import type { BmcIdentity } from '../identity.js';
import {
  ACCOUNT_SERVICE_URI,
  ACCOUNTS_URI,
  LOG_SERVICES_URI,
  MANAGER_ETHERNET_URI,
  NETWORK_PROTOCOL_URI,
  SEL_URI,
} from '../paths.js';
import { collection, type Json, link, odata, redfishTime, STATUS_OK } from './common.js';

/** The iDRAC's own NIC. */
export const MANAGER_NIC_ID = 'NIC.1';
/** iDRAC user slot 2 holds the first configured user (slot 1 is reserved). */
export const ACCOUNT_ID = '2';

/** `GET .../Managers/iDRAC.Embedded.1/EthernetInterfaces` and its NIC. */
export function managerNicCollection(): Json {
  return collection(
    MANAGER_ETHERNET_URI,
    'EthernetInterfaceCollection',
    'Manager Ethernet Interface Collection',
    [`${MANAGER_ETHERNET_URI}/${MANAGER_NIC_ID}`],
  );
}

export function managerNic(identity: BmcIdentity): Json {
  return {
    ...odata(`${MANAGER_ETHERNET_URI}/${MANAGER_NIC_ID}`, 'EthernetInterface', 'v1_4_1'),
    Description: 'Management Network Interface',
    HostName: `idrac-${identity.serviceTag.toLowerCase()}`,
    IPv4Addresses: [
      { Address: '127.0.0.1', AddressOrigin: 'Static', Gateway: '0.0.0.0', SubnetMask: '255.0.0.0' },
    ],
    Id: MANAGER_NIC_ID,
    MACAddress: identity.macAddress,
    Name: 'Manager Ethernet Interface',
    PermanentMACAddress: identity.macAddress,
    Status: STATUS_OK,
  };
}

/** `GET .../LogServices`: the System Event Log. */
export function logServiceCollection(): Json {
  return collection(LOG_SERVICES_URI, 'LogServiceCollection', 'Log Service Collection', [SEL_URI]);
}

export function selLogService(now: number): Json {
  return {
    ...odata(SEL_URI, 'LogService', 'v1_1_1'),
    DateTime: redfishTime(now),
    Description: 'SEL Log Service',
    Entries: link(`${SEL_URI}/Entries`),
    Id: 'Sel',
    MaxNumberOfRecords: 1024,
    Name: 'SEL Log Service',
    OverWritePolicy: 'WrapsWhenFull',
    ServiceEnabled: true,
    Status: STATUS_OK,
  };
}

export function selEntries(): Json {
  return collection(`${SEL_URI}/Entries`, 'LogEntryCollection', 'Log Entry Collection', []);
}

/** `GET .../NetworkProtocol`. */
export function networkProtocol(identity: BmcIdentity): Json {
  return {
    ...odata(NETWORK_PROTOCOL_URI, 'ManagerNetworkProtocol', 'v1_2_0'),
    Description: 'Manager Network Service',
    HTTP: { Port: 80, ProtocolEnabled: true },
    HTTPS: { Port: 443, ProtocolEnabled: true },
    HostName: `idrac-${identity.serviceTag.toLowerCase()}`,
    IPMI: { Port: 623, ProtocolEnabled: false },
    Id: 'NetworkProtocol',
    Name: 'Manager Network Protocol',
    SSH: { Port: 22, ProtocolEnabled: true },
    Status: STATUS_OK,
  };
}

/** `GET .../AccountService` and the one account the BMC knows. */
export function accountService(): Json {
  return {
    ...odata(ACCOUNT_SERVICE_URI, 'AccountService', 'v1_5_0'),
    AccountLockoutDuration: 300,
    AccountLockoutThreshold: 0,
    Accounts: link(ACCOUNTS_URI),
    Description: 'BMC User Accounts',
    Id: 'AccountService',
    MaxPasswordLength: 20,
    MinPasswordLength: 0,
    Name: 'Account Service',
    ServiceEnabled: true,
    Status: STATUS_OK,
  };
}

export function accountCollection(): Json {
  return collection(ACCOUNTS_URI, 'ManagerAccountCollection', 'Accounts Collection', [
    `${ACCOUNTS_URI}/${ACCOUNT_ID}`,
  ]);
}

export function account(username: string): Json {
  return {
    ...odata(`${ACCOUNTS_URI}/${ACCOUNT_ID}`, 'ManagerAccount', 'v1_4_0'),
    Description: 'User Account',
    Enabled: true,
    Id: ACCOUNT_ID,
    Locked: false,
    Name: 'User Account',
    RoleId: 'Administrator',
    UserName: username,
  };
}
