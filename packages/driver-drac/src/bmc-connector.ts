import { InvalidParameterValue, type Node } from '@ironic/driver-base';
import {
  InvalidRedfishEndpoint,
  type RedfishClient,
  type RedfishClock,
  RedfishConnector,
  type RedfishLogger,
} from '@ironic/redfish';
import { parseDriverInfo } from './driver-info.js';

/** One node's iDRAC: its Redfish client (one session per BMC and credentials) and its system's path. */
export interface IdracBmc {
  readonly client: RedfishClient;
  /** Path of the ComputerSystem, e.g. `/redfish/v1/Systems/System.Embedded.1`. */
  readonly systemId: string;
}

/** Options of `new BmcConnector(...)`: the drac driver's request bounds and timeout. */
export interface BmcConnectorOptions {
  /** Redfish requests in flight to one BMC at most. */
  readonly maxRequestsPerBmc: number;
  /** Redfish requests in flight to all BMCs together at most. */
  readonly maxConcurrentRequests: number;
  /** How long one request may take, in ms. */
  readonly requestTimeoutMs: number;
  /** BMC clients (sessions) kept at most. Default: the connector's (1000). */
  readonly maxClients?: number;
  /** The driver's clock (task-monitor waits). */
  readonly clock?: RedfishClock;
  /** Where logins again and falls back to Basic are reported. */
  readonly logger?: RedfishLogger;
}

/**
 * What every interface of one drac driver shares to reach BMCs: one `RedfishConnector` (a kept-alive
 * connection pool and a session per BMC, the request bounds).
 */
export class BmcConnector {
  readonly redfish: RedfishConnector;

  constructor(options: BmcConnectorOptions) {
    this.redfish = new RedfishConnector({
      maxRequestsPerBmc: options.maxRequestsPerBmc,
      maxConcurrentRequests: options.maxConcurrentRequests,
      requestTimeoutMs: options.requestTimeoutMs,
      ...(options.maxClients ? { maxClients: options.maxClients } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      credentialsHint: 'check driver_info redfish_username and redfish_password',
    });
  }

  /** The node's iDRAC; throws `InvalidParameterValue` when its `driver_info` is incomplete. */
  bmcFor(node: Pick<Node, 'uuid' | 'driver_info'>): IdracBmc {
    const info = parseDriverInfo(node);
    try {
      return {
        client: this.redfish.client({
          address: info.address,
          username: info.username,
          password: info.password,
          verify: info.verify,
        }),
        systemId: info.systemId,
      };
    } catch (error) {
      if (!(error instanceof InvalidRedfishEndpoint)) throw error;
      throw new InvalidParameterValue(
        `Invalid driver_info/redfish_${error.field === 'verify' ? 'verify_ca' : 'address'} on node ${node.uuid}: ${error.message}`,
      );
    }
  }
}
