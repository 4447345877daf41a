/** Base class of every error the Redfish simulator throws to its caller. */
export class RedfishSimulatorError extends Error {
  override readonly name: string = 'RedfishSimulatorError';
  readonly code: string = 'REDFISH_SIMULATOR_ERROR';
}

/** An option passed to the fleet or a BMC is invalid; the message names it. */
export class InvalidBmcOptionError extends RedfishSimulatorError {
  override readonly name = 'InvalidBmcOptionError';
  override readonly code = 'INVALID_BMC_OPTION';
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`Invalid BMC option ${option}: ${detail}`);
  }
}

/** A BMC with this id already exists in the fleet. */
export class DuplicateBmcError extends RedfishSimulatorError {
  override readonly name = 'DuplicateBmcError';
  override readonly code = 'DUPLICATE_BMC';
  constructor(readonly bmcId: string) {
    super(`A BMC with id ${JSON.stringify(bmcId)} already exists in the fleet`);
  }
}

/** The fleet has been closed and cannot take new BMCs. */
export class FleetClosedError extends RedfishSimulatorError {
  override readonly name = 'FleetClosedError';
  override readonly code = 'FLEET_CLOSED';
  constructor() {
    super('The Redfish fleet is closed');
  }
}
