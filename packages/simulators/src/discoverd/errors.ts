/** Base class of every error the discoverd simulator's control API throws. */
export class DiscoverdSimulatorError extends Error {
  /** Stable machine-readable code of this error kind. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'DiscoverdSimulatorError';
    this.code = code;
  }
}

/** A node UUID handed to the control API is not a UUID. */
export class InvalidNodeUuidError extends DiscoverdSimulatorError {
  constructor(value: unknown) {
    super('DISCOVERD_SIM_INVALID_NODE_UUID', `Not a node UUID: ${JSON.stringify(value)}`);
    this.name = 'InvalidNodeUuidError';
  }
}

/** A behaviour or hardware setting handed to the control API is out of range or malformed. */
export class InvalidBehaviourError extends DiscoverdSimulatorError {
  /** The setting that was rejected, e.g. `hardware.macs[1]`. */
  readonly field: string;

  constructor(field: string, reason: string) {
    super('DISCOVERD_SIM_INVALID_BEHAVIOUR', `Invalid discoverd simulator setting "${field}": ${reason}`);
    this.name = 'InvalidBehaviourError';
    this.field = field;
  }
}
