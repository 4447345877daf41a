/** Base of every error driver-base throws: a stable `name` and `code` to branch on. */
export abstract class DriverBaseError extends Error {
  abstract readonly code: string;
}

/** The node is reserved (exclusively locked) by a conductor; retry later. HTTP 409 in the API. */
export class NodeLocked extends DriverBaseError {
  override readonly name = 'NodeLocked';
  readonly code = 'NODE_LOCKED';
  constructor(
    readonly node: string,
    readonly holder: string | null,
  ) {
    super(
      holder
        ? `Node ${node} is locked by host ${holder}, please retry after the current operation is completed.`
        : `Node ${node} is locked, please retry after the current operation is completed.`,
    );
  }
}

/** No node has this UUID or name. HTTP 404 in the API. */
export class NodeNotFound extends DriverBaseError {
  override readonly name = 'NodeNotFound';
  readonly code = 'NODE_NOT_FOUND';
  constructor(readonly node: string) {
    super(`Node ${node} could not be found.`);
  }
}

/** A node with this UUID or name already exists. HTTP 409 in the API. */
export class NodeAlreadyExists extends DriverBaseError {
  override readonly name = 'NodeAlreadyExists';
  readonly code = 'NODE_ALREADY_EXISTS';
  constructor(
    readonly field: 'uuid' | 'name',
    readonly value: string,
  ) {
    super(`A node with ${field === 'uuid' ? 'UUID' : 'name'} ${value} already exists.`);
  }
}

/** The provision state machine has no such transition from the node's state. HTTP 400 in the API. */
export class IllegalTransition extends DriverBaseError {
  override readonly name = 'IllegalTransition';
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(
    readonly node: string,
    readonly state: string,
    readonly event: string,
  ) {
    super(
      `The requested action "${event}" can not be performed on node "${node}" while it is in state "${state}".`,
    );
  }
}

/** A write was attempted without holding the node's exclusive lock. A programming error in a driver. */
export class ExclusiveLockRequired extends DriverBaseError {
  override readonly name = 'ExclusiveLockRequired';
  readonly code = 'EXCLUSIVE_LOCK_REQUIRED';
  constructor(
    readonly node: string,
    readonly action: string,
  ) {
    super(`${action} on node ${node} needs an exclusive lock; call task.upgradeLock() first.`);
  }
}

/** The task was already released; it can no longer read or write the node. */
export class TaskReleased extends DriverBaseError {
  override readonly name = 'TaskReleased';
  readonly code = 'TASK_RELEASED';
  constructor(readonly node: string) {
    super(`The task on node ${node} was already released.`);
  }
}

/** A parameter (node field, step argument, RAID config...) has an invalid value. HTTP 400 in the API. */
export class InvalidParameterValue extends DriverBaseError {
  override readonly name = 'InvalidParameterValue';
  readonly code = 'INVALID_PARAMETER_VALUE';
}

/** The driver lacks an interface or a step that an operation needs. HTTP 400 in the API. */
export class UnsupportedDriverExtension extends DriverBaseError {
  override readonly name = 'UnsupportedDriverExtension';
  readonly code = 'UNSUPPORTED_DRIVER_EXTENSION';
  constructor(
    readonly driver: string,
    readonly extension: string,
  ) {
    super(`Driver ${driver} does not support ${extension} (disabled or not implemented).`);
  }
}

/** The node is protected (`protected: true`): it may not be undeployed, rebuilt or deleted. HTTP 403. */
export class NodeProtected extends DriverBaseError {
  override readonly name = 'NodeProtected';
  readonly code = 'NODE_PROTECTED';
  constructor(readonly node: string) {
    super(`Node ${node} is protected and cannot be undeployed, rebuilt or deleted`);
  }
}

/** The node is in maintenance and the operation is not allowed then. HTTP 400 in the API. */
export class NodeInMaintenance extends DriverBaseError {
  override readonly name = 'NodeInMaintenance';
  readonly code = 'NODE_IN_MAINTENANCE';
  constructor(
    readonly node: string,
    readonly operation: string,
  ) {
    super(`The ${operation} operation can't be performed on node ${node} because it's in maintenance mode.`);
  }
}

/** Thrown by a per-node periodic handler to end the current sweep early (Ironic's `periodics.Stop`). */
export class Stop extends DriverBaseError {
  override readonly name = 'Stop';
  readonly code = 'STOP';
  constructor(message = 'The sweep was stopped by its handler.') {
    super(message);
  }
}

/** One problem found while validating a driver's options. */
export interface OptionIssue {
  /** Dotted path of the bad field, e.g. `discoverd_url` or `limits.max`. Empty for the whole object. */
  readonly path: string;
  readonly message: string;
}

/** A driver's options failed its schema; names the driver and each bad field. */
export class InvalidDriverOptions extends DriverBaseError {
  override readonly name = 'InvalidDriverOptions';
  readonly code = 'INVALID_DRIVER_OPTIONS';
  constructor(
    readonly driver: string,
    readonly issues: readonly OptionIssue[],
  ) {
    super(
      `Invalid options for driver "${driver}": ${issues
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join('; ')}`,
    );
  }
}
