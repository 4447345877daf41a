/** The base of every error the demo raises; match with `instanceof` or by `code`. */
export class DemoError extends Error {
  override readonly name: string = 'DemoError';
  readonly code: string = 'DEMO_ERROR';
}

/** A command-line argument or option the demo cannot use; the message names it. */
export class InvalidDemoOption extends DemoError {
  override readonly name = 'InvalidDemoOption';
  override readonly code = 'DEMO_INVALID_OPTION';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`Invalid demo option ${option}: ${reason}`);
  }
}

/** The demo's conductor configuration file cannot be read or lacks what the demo needs. */
export class DemoConfigError extends DemoError {
  override readonly name = 'DemoConfigError';
  override readonly code = 'DEMO_CONFIG_ERROR';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Demo configuration ${file}: ${reason}`);
  }
}

/** The conductor process did not come up (it exited, or never answered `GET /healthz`). */
export class ConductorStartFailed extends DemoError {
  override readonly name = 'ConductorStartFailed';
  override readonly code = 'DEMO_CONDUCTOR_START_FAILED';
}

/** The Ironic API answered an error status; `faultstring` is Ironic's message. */
export class IronicApiError extends DemoError {
  override readonly name = 'IronicApiError';
  override readonly code = 'DEMO_IRONIC_API_ERROR';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly faultstring: string,
  ) {
    super(`${method} ${path} answered ${status}: ${faultstring}`);
  }
}
