import { DriverBaseError } from '@ironic/driver-base';

/** Base of every error the drac driver throws: a stable `name` and `code` to branch on. */
export abstract class DracError extends DriverBaseError {}

/** The BMC could not be reached: connection refused or dropped, or no answer within `request_timeout`. */
export class BmcUnreachable extends DracError {
  override readonly name = 'BmcUnreachable';
  readonly code = 'BMC_UNREACHABLE';
  constructor(
    readonly address: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The BMC at ${address} could not be reached: ${reason}`, options);
  }
}

/** One entry of a Redfish error's `@Message.ExtendedInfo`. */
export interface RedfishExtendedInfo {
  readonly MessageId?: string;
  readonly Message?: string;
  readonly Resolution?: string;
  readonly Severity?: string;
}

/**
 * The BMC answered a Redfish request with an error status. The message carries the BMC's own words
 * (its `@Message.ExtendedInfo` messages), which is what an operator needs in `last_error`.
 */
export class RedfishError extends DracError {
  override readonly name: string = 'RedfishError';
  readonly code: string = 'REDFISH_ERROR';
  constructor(
    readonly address: string,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** The BMC's messages, joined; empty when the body had none. */
    readonly bmcMessage: string,
    readonly extendedInfo: readonly RedfishExtendedInfo[] = [],
    message?: string,
  ) {
    super(
      message ??
        `Redfish ${method} ${path} on the BMC at ${address} failed with HTTP ${status}` +
          (bmcMessage ? `: ${bmcMessage}` : ''),
    );
  }

  /** The `MessageId`s the BMC gave, e.g. `Base.1.12.InternalError`. */
  get messageIds(): string[] {
    return this.extendedInfo.flatMap((info) => (info.MessageId ? [info.MessageId] : []));
  }
}

/** The BMC answered 401: the `redfish_username` / `redfish_password` of the node were rejected. */
export class RedfishAuthError extends RedfishError {
  override readonly name = 'RedfishAuthError';
  override readonly code = 'REDFISH_AUTH_FAILED';
  constructor(
    address: string,
    method: string,
    path: string,
    readonly username: string,
    bmcMessage: string,
    extendedInfo: readonly RedfishExtendedInfo[] = [],
  ) {
    super(
      address,
      method,
      path,
      401,
      bmcMessage,
      extendedInfo,
      `The BMC at ${address} rejected the credentials of user "${username}" ` +
        `(check driver_info redfish_username and redfish_password)` +
        (bmcMessage ? `: ${bmcMessage}` : ''),
    );
  }
}

/** The BMC answered, but not in a shape a Redfish service (or an iDRAC) would. */
export class UnexpectedRedfishResponse extends DracError {
  override readonly name = 'UnexpectedRedfishResponse';
  readonly code = 'UNEXPECTED_REDFISH_RESPONSE';
}

/** The system did not reach the requested power state in time. */
export class PowerStateTimeout extends DracError {
  override readonly name = 'PowerStateTimeout';
  readonly code = 'POWER_STATE_TIMEOUT';
  constructor(
    readonly node: string,
    readonly target: string,
    readonly timeoutMs: number,
  ) {
    super(`Node ${node} did not reach power state "${target}" within ${timeoutMs / 1000} s.`);
  }
}
