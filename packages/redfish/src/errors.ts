import type { RedfishMessage } from './messages.js';

/** Base of every error the Redfish client throws: a stable `name` and `code` to branch on. */
export abstract class RedfishClientError extends Error {
  abstract readonly code: string;
}

/**
 * The BMC could not be reached: the connection was refused or dropped, or no answer came within the
 * request timeout (`timedOut`). Retrying later may help.
 */
export class BmcUnreachable extends RedfishClientError {
  override readonly name = 'BmcUnreachable';
  readonly code = 'BMC_UNREACHABLE';
  constructor(
    /** The BMC's origin, e.g. `https://10.0.0.5`. */
    readonly address: string,
    /** What went wrong, e.g. `connect ECONNREFUSED 10.0.0.5:443` or `no answer within 30 s`. */
    readonly reason: string,
    /** Whether the request timeout ran out (rather than the connection failing). */
    readonly timedOut: boolean = false,
    options?: ErrorOptions,
  ) {
    super(`The BMC at ${address} could not be reached: ${reason}`, options);
  }
}

/**
 * The BMC answered a request with an error status. The message carries the BMC's own words (the
 * `Message`s of its `@Message.ExtendedInfo`), which is what an operator needs to see.
 */
export class RedfishError extends RedfishClientError {
  override readonly name: string = 'RedfishError';
  readonly code: string = 'REDFISH_ERROR';
  constructor(
    readonly address: string,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** The BMC's messages joined with spaces (else the error body's `message`); empty when it gave none. */
    readonly bmcMessage: string,
    readonly extendedInfo: readonly RedfishMessage[] = [],
    message?: string,
  ) {
    super(
      message ??
        `Redfish ${method} ${path} on the BMC at ${address} failed with HTTP ${status}` +
          (bmcMessage ? `: ${bmcMessage}` : ''),
    );
  }

  /** The `MessageId`s the BMC gave, e.g. `Base.1.12.ResourceMissingAtURI`. */
  get messageIds(): string[] {
    return this.extendedInfo.flatMap((info) => (info.MessageId ? [info.MessageId] : []));
  }
}

/**
 * The BMC refused the credentials (HTTP 401): with a session, even after logging in again; with HTTP
 * Basic, at once. Retrying with the same credentials cannot help.
 */
export class RedfishAuthError extends RedfishError {
  override readonly name = 'RedfishAuthError';
  override readonly code = 'REDFISH_AUTH_FAILED';
  constructor(
    address: string,
    method: string,
    path: string,
    /** The user whose credentials were refused; undefined when none were sent. */
    readonly username: string | undefined,
    bmcMessage: string,
    extendedInfo: readonly RedfishMessage[] = [],
    /** What to check, appended in parentheses (the connector's `credentialsHint`). */
    hint?: string,
  ) {
    super(
      address,
      method,
      path,
      401,
      bmcMessage,
      extendedInfo,
      (username === undefined
        ? `The BMC at ${address} requires credentials, and none were given`
        : `The BMC at ${address} rejected the credentials of user "${username}"`) +
        (hint ? ` (${hint})` : '') +
        (bmcMessage ? `: ${bmcMessage}` : ''),
    );
  }
}

/** The BMC answered, but not as a Redfish service would (no JSON, a 202 without `Location`, ...). */
export class UnexpectedRedfishResponse extends RedfishClientError {
  override readonly name = 'UnexpectedRedfishResponse';
  readonly code = 'UNEXPECTED_REDFISH_RESPONSE';
}

/** The connector was closed: it gives no more clients. */
export class RedfishConnectorClosed extends RedfishClientError {
  override readonly name = 'RedfishConnectorClosed';
  readonly code = 'REDFISH_CONNECTOR_CLOSED';
  constructor() {
    super('The RedfishConnector is closed: it gives no more clients');
  }
}

/** The caller's `AbortSignal` fired before the request (or the wait for a task) ended. */
export class RequestAborted extends RedfishClientError {
  override readonly name = 'RequestAborted';
  readonly code = 'REQUEST_ABORTED';
  constructor(what: string, options?: ErrorOptions) {
    super(`${what} was aborted`, options);
  }
}

/** A task monitor still answered 202 when the time allowed for the task ran out. */
export class TaskMonitorTimeout extends RedfishClientError {
  override readonly name = 'TaskMonitorTimeout';
  readonly code = 'TASK_MONITOR_TIMEOUT';
  constructor(
    readonly address: string,
    readonly monitorUri: string,
    readonly timeoutMs: number,
  ) {
    super(
      `The task behind ${monitorUri} on the BMC at ${address} did not finish within ${timeoutMs / 1000} s`,
    );
  }
}

/** A task ended, but not successfully (`TaskState` other than `Completed`, or `TaskStatus` `Critical`). */
export class TaskFailed extends RedfishClientError {
  override readonly name = 'TaskFailed';
  readonly code = 'TASK_FAILED';
  constructor(
    readonly address: string,
    readonly monitorUri: string,
    readonly taskState: string | undefined,
    readonly taskStatus: string | undefined,
    /** The task's messages (what the BMC says went wrong). */
    readonly messages: readonly string[],
  ) {
    super(
      `The task behind ${monitorUri} on the BMC at ${address} ended ${taskState ?? 'without a TaskState'}` +
        (taskStatus ? ` (${taskStatus})` : '') +
        (messages.length > 0 ? `: ${messages.join(' ')}` : ''),
    );
  }
}
