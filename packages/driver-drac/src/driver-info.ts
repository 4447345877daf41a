import { InvalidParameterValue, type Node } from '@ironic/driver-base';
import { InvalidRedfishEndpoint, parseVerify, redfishOrigin } from '@ironic/redfish';

/** The system an iDRAC manages, as Ironic's idrac-redfish interfaces default to. */
export const DEFAULT_SYSTEM_ID = '/redfish/v1/Systems/System.Embedded.1';

/** The `driver_info` fields the drac driver reads, with what `GET /v1/drivers/drac/properties` shows. */
export const DRAC_PROPERTIES = {
  redfish_address:
    'The URL of the iDRAC Redfish service, e.g. https://10.0.0.5 (https:// is assumed without a scheme). Required.',
  redfish_username: 'User name for the iDRAC. Required.',
  redfish_password: 'Password for the iDRAC user. Required.',
  redfish_system_id: `Path of the system resource on the iDRAC. Optional, default ${DEFAULT_SYSTEM_ID}.`,
  redfish_verify_ca:
    'Whether to check the iDRAC certificate: true, false, or the path of a CA bundle to check it against. Optional, default true.',
} as const;

const REQUIRED = ['redfish_address', 'redfish_username', 'redfish_password'] as const;

/** How to reach one node's BMC, parsed from its `driver_info`. */
export interface RedfishEndpoint {
  /** The BMC's origin, e.g. `http://127.0.0.1:8443`: also the key its request bound is counted under. */
  readonly address: string;
  readonly username: string;
  readonly password: string;
  /** Path of the ComputerSystem resource, e.g. `/redfish/v1/Systems/System.Embedded.1`. */
  readonly systemId: string;
  /** How to check the BMC's TLS certificate: `true`, `false`, or a CA bundle's path. */
  readonly verify: boolean | string;
}

/**
 * Reads the Redfish fields of a node's `driver_info`; throws `InvalidParameterValue` naming every
 * missing field, or the field whose value is bad.
 */
export function parseDriverInfo(node: Pick<Node, 'uuid' | 'driver_info'>): RedfishEndpoint {
  const info = node.driver_info;
  const missing = REQUIRED.filter((field) => typeof info[field] !== 'string' || info[field] === '');
  if (missing.length > 0) {
    throw new InvalidParameterValue(
      `Missing the following Redfish properties in node ${node.uuid} driver_info: ${missing.join(', ')}`,
    );
  }
  const rawAddress = info.redfish_address as string;
  let address: string;
  try {
    address = redfishOrigin(rawAddress);
  } catch {
    throw new InvalidParameterValue(
      `Invalid Redfish address ${rawAddress} set in driver_info/redfish_address on node ${node.uuid}`,
    );
  }
  const systemId = info.redfish_system_id ?? DEFAULT_SYSTEM_ID;
  if (typeof systemId !== 'string' || !systemId.startsWith('/')) {
    throw new InvalidParameterValue(
      `Invalid driver_info/redfish_system_id ${JSON.stringify(systemId)} on node ${node.uuid}: ` +
        'expected a path such as /redfish/v1/Systems/System.Embedded.1',
    );
  }
  let verify: boolean | string;
  try {
    verify = parseVerify(info.redfish_verify_ca);
  } catch (error) {
    if (!(error instanceof InvalidRedfishEndpoint)) throw error;
    throw new InvalidParameterValue(
      `Invalid driver_info/redfish_verify_ca ${JSON.stringify(info.redfish_verify_ca)} on node ${node.uuid}: ` +
        'expected true, false or the path of a CA bundle',
    );
  }
  return {
    address,
    username: info.redfish_username as string,
    password: info.redfish_password as string,
    systemId: systemId.replace(/\/+$/, ''),
    verify,
  };
}
