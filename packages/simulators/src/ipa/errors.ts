/** Base of every error the IPA simulator throws: a stable `name` and `code` to branch on. */
export abstract class IpaSimulatorError extends Error {
  abstract readonly code: string;
}

/** An option given to `startIpaFleet` or `fleet.addAgent` is invalid; `option` names it. */
export class InvalidIpaAgentOption extends IpaSimulatorError {
  override readonly name = 'InvalidIpaAgentOption';
  readonly code = 'INVALID_IPA_AGENT_OPTION';
  constructor(
    readonly option: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid IPA agent option ${option}=${JSON.stringify(value)}: ${reason}`);
  }
}

/** The fleet already simulates an agent for this node. */
export class DuplicateIpaAgent extends IpaSimulatorError {
  override readonly name = 'DuplicateIpaAgent';
  readonly code = 'DUPLICATE_IPA_AGENT';
  constructor(readonly nodeUuid: string) {
    super(`An IPA agent for node ${nodeUuid} already exists in this fleet.`);
  }
}

/** The fleet was closed; it can no longer add or run agents. */
export class IpaFleetClosed extends IpaSimulatorError {
  override readonly name = 'IpaFleetClosed';
  readonly code = 'IPA_FLEET_CLOSED';
  constructor() {
    super('The IPA fleet is closed.');
  }
}
