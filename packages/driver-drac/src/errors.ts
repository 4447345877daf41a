import { DriverBaseError } from '@ironic/driver-base';

// The Redfish errors (unreachable BMC, error answers, refused credentials, odd answers) are those of
// the shared client, so a caller catches the same classes whichever driver talked to the BMC.
export {
  BmcUnreachable,
  RedfishAuthError,
  RedfishError,
  type RedfishMessage as RedfishExtendedInfo,
  UnexpectedRedfishResponse,
} from '@ironic/redfish';

/** Base of the errors of the drac driver's own making: a stable `name` and `code` to branch on. */
export abstract class DracError extends DriverBaseError {}

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
