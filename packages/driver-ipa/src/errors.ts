/** Base of every error the IPA driver throws: a stable `name` and `code` to branch on. */
export abstract class IpaDriverError extends Error {
  abstract readonly code: string;
}

/** The agent did not answer (connection refused or reset, or no answer in time). */
export class AgentUnreachable extends IpaDriverError {
  override readonly name = 'AgentUnreachable';
  readonly code = 'AGENT_UNREACHABLE';
  constructor(
    /** The node whose agent was called, or the agent URL when no node is known. */
    readonly target: string,
    /** What the HTTP client reported. */
    readonly reason: string,
  ) {
    super(`Failed to connect to the agent running on node ${target}. Error: ${reason}`);
  }
}

/** The agent answered with an HTTP error: `status` and IPA's `faultstring`. */
export class AgentError extends IpaDriverError {
  override readonly name: string = 'AgentError';
  readonly code: string = 'AGENT_API_ERROR';
  constructor(
    readonly node: string,
    readonly command: string,
    readonly status: number,
    readonly faultstring: string,
  ) {
    super(`Agent API for node ${node} returned HTTP status code ${status} with error: ${faultstring}`);
  }
}

/** The agent is still running another command (HTTP 409, IPA's "Agent is busy"). */
export class AgentBusy extends AgentError {
  override readonly name = 'AgentBusy';
  override readonly code = 'AGENT_BUSY';
}

/** A command the agent ran ended `FAILED`; `agentMessage` is IPA's error details. */
export class AgentCommandFailed extends IpaDriverError {
  override readonly name = 'AgentCommandFailed';
  readonly code = 'AGENT_COMMAND_FAILED';
  constructor(
    readonly node: string,
    readonly command: string,
    readonly agentMessage: string,
  ) {
    super(`Agent command ${command} failed on node ${node}: ${agentMessage}`);
  }
}

/** The agent's answer is not what IPA sends (not JSON, or the wrong shape). */
export class AgentInvalidResponse extends IpaDriverError {
  override readonly name = 'AgentInvalidResponse';
  readonly code = 'AGENT_INVALID_RESPONSE';
  constructor(
    readonly target: string,
    readonly detail: string,
  ) {
    super(`Invalid response from the agent of node ${target}: ${detail}`);
  }
}

/** The BMC refused a Redfish request or could not be reached. */
export class RedfishError extends IpaDriverError {
  override readonly name = 'RedfishError';
  readonly code = 'REDFISH_ERROR';
  constructor(
    readonly node: string,
    readonly operation: string,
    /** HTTP status, or null when no answer came. */
    readonly status: number | null,
    readonly detail: string,
    /** `cause`: the `@ironic/redfish` error behind it (`RedfishError`, `RedfishAuthError`, `BmcUnreachable`, ...). */
    options?: ErrorOptions,
  ) {
    super(
      `Redfish ${operation} failed for node ${node}${status === null ? '' : ` (HTTP ${status})`}: ${detail}`,
      options,
    );
  }
}
