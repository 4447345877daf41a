/** Base of every error the discoverd client throws: a stable `name` and `code` to branch on. */
export abstract class DiscoverdClientError extends Error {
  abstract readonly code: string;
}

/** No answer from discoverd: the connection failed, was dropped, or the answer did not come in time. */
export class DiscoverdUnreachable extends DiscoverdClientError {
  override readonly name = 'DiscoverdUnreachable';
  readonly code = 'DISCOVERD_UNREACHABLE';
  constructor(
    /** The discoverd base URL that was tried. */
    readonly url: string,
    /** Why: the network error's message, or the timeout that ran out. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`discoverd at ${url} could not be reached: ${reason}`, options);
  }
}

/** Discoverd answered with an error status; `message` is its own (`{"error": {"message": ...}}`). */
export class DiscoverdError extends DiscoverdClientError {
  override readonly name: string = 'DiscoverdError';
  readonly code: string = 'DISCOVERD_ERROR';
  constructor(
    readonly status: number,
    /** Discoverd's error message, or the raw body when it sent none. */
    readonly discoverdMessage: string,
  ) {
    super(`discoverd answered HTTP ${status}: ${discoverdMessage}`);
  }

  /** Whether retrying later may help: a 5xx answer. */
  get transient(): boolean {
    return this.status >= 500;
  }
}

/** Discoverd has no record of the node (HTTP 404): it never started, or it lost the node. */
export class DiscoverdNodeNotFound extends DiscoverdError {
  override readonly name: string = 'DiscoverdNodeNotFound';
  override readonly code: string = 'DISCOVERD_NODE_NOT_FOUND';
  constructor(
    readonly node: string,
    discoverdMessage: string,
  ) {
    super(404, discoverdMessage);
  }
}

/**
 * Discoverd refused to start introspection with a 404: the Ironic API it looks nodes up in does not know
 * the node (ironic-inspector's "Node … was not found in Ironic"), so it points at another Ironic.
 */
export class DiscoverdNodeNotInIronic extends DiscoverdNodeNotFound {
  override readonly name = 'DiscoverdNodeNotInIronic';
  override readonly code = 'DISCOVERD_NODE_NOT_IN_IRONIC';
  constructor(node: string, discoverdMessage: string) {
    super(node, discoverdMessage);
    this.message =
      `discoverd does not know node ${node} in the Ironic API it looks nodes up in (${discoverdMessage}); ` +
      "point discoverd's [ironic] section at this conductor's API";
  }
}

/** Discoverd answered 2xx with a body that is not what its API documents. */
export class DiscoverdInvalidResponse extends DiscoverdClientError {
  override readonly name = 'DiscoverdInvalidResponse';
  readonly code = 'DISCOVERD_INVALID_RESPONSE';
}

/** The introspection data lacks a value a node property is computed from. */
export class InvalidIntrospectionData extends Error {
  override readonly name = 'InvalidIntrospectionData';
  readonly code = 'INVALID_INTROSPECTION_DATA';
  constructor(readonly field: string) {
    super(`discoverd's introspection data has no usable ${field}`);
  }
}
