import type { Node } from '@ironic/driver-base';
import type { Dispatcher } from 'undici';
import { parseDriverInfo } from './driver-info.js';
import { RedfishClient } from './redfish-client.js';
import type { RequestLimiter } from './request-limiter.js';

/** What every interface of one drac driver shares to reach BMCs: the HTTP client and the request bounds. */
export class BmcConnector {
  constructor(
    readonly dispatcher: Dispatcher,
    readonly limiter: RequestLimiter,
    /** Per-request timeout in ms. */
    readonly timeoutMs: number,
  ) {}

  /** A client for the node's BMC; throws `InvalidParameterValue` when its `driver_info` is incomplete. */
  clientFor(node: Pick<Node, 'uuid' | 'driver_info'>): RedfishClient {
    return new RedfishClient({
      endpoint: parseDriverInfo(node),
      dispatcher: this.dispatcher,
      limiter: this.limiter,
      timeoutMs: this.timeoutMs,
    });
  }
}
