import {
  type AsyncOutcome,
  type DriverServices,
  type InspectInterface,
  InvalidParameterValue,
  type JsonObject,
  type Node,
  type NodePeriodicContext,
  nodePeriodic,
  type Task,
} from '@ironic/driver-base';
import { DiscoverdClient } from './discoverd-client.js';
import {
  DiscoverdError,
  DiscoverdInvalidResponse,
  DiscoverdNodeNotFound,
  DiscoverdUnreachable,
  InvalidIntrospectionData,
} from './errors.js';
import { type InspectedProperties, inspectedProperties } from './inspected-properties.js';
import type { DiscoverdOptions } from './options.js';

/** `driver_internal_info` key: when discoverd was asked to start (ISO 8601); the timeout counts from it. */
export const INSPECTION_STARTED_AT = 'inspection_started_at';
/** `driver_internal_info` key: when the last successful inspection ended (ISO 8601). */
export const INSPECTION_FINISHED_AT = 'inspection_finished_at';

/** The name of the per-node periodic task that polls discoverd. */
export const CHECK_INSPECT_STATUS_TASK = 'DiscoverdInspect.checkInspectStatus';

/** The `last_error` prefix of an inspection discoverd reported as failed; its own message follows. */
export const INSPECTION_FAILED_PREFIX = 'discoverd inspection failed: ';
/** The `last_error` of a node that stayed in `inspect wait` too long (Ironic's wording, then the detail). */
export const INSPECTION_TIMEOUT_MESSAGE = 'timeout reached while inspecting the node';

/** Running totals of one `DiscoverdInspect`, over its whole life. */
export interface DiscoverdInspectStats {
  /** Introspections discoverd accepted to start. */
  started: number;
  /** Start requests that failed (the node then ended in `inspect failed`). */
  startErrors: number;
  /** Status checks of nodes in `inspect wait`. */
  polls: number;
  /** Checks that failed on discoverd's side (unreachable, slow, 5xx, garbled): the node was left as it was. */
  pollErrors: number;
  /** Nodes that reached `manageable` with their properties. */
  succeeded: number;
  /** Nodes that ended in `inspect failed`: discoverd's error, a 404, bad data or a 4xx. */
  failed: number;
  /** Of `failed`: nodes discoverd did not know (404). */
  lost: number;
  /** Of `failed`: nodes that reached `inspect_wait_timeout`. */
  timedOut: number;
  /** Abort requests (on timeout) that discoverd did not accept. */
  abortErrors: number;
}

/** The services the inspect interface uses: a driver composing it passes its own. */
export type DiscoverdInspectServices = Pick<DriverServices, 'http' | 'clock' | 'logger'>;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether waiting for the next period may help: discoverd down, slow, failing (5xx) or garbled. */
function isTransient(error: unknown): boolean {
  if (error instanceof DiscoverdUnreachable || error instanceof DiscoverdInvalidResponse) return true;
  return error instanceof DiscoverdError && error.transient;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutKeys(info: JsonObject, ...keys: string[]): JsonObject {
  const copy = { ...info };
  for (const key of keys) delete copy[key];
  return copy;
}

/** How an inspection ends. */
type Ending =
  | { kind: 'done'; properties: InspectedProperties }
  | { kind: 'fail'; lastError: string; counter?: 'lost' | 'timedOut' };

/**
 * In-band inspection through discoverd (ironic-inspector): `inspectHardware` asks discoverd to start and
 * leaves the node in `inspect wait`; the per-node periodic task `DiscoverdInspect.checkInspectStatus` polls
 * discoverd for each such node and ends the inspection: `manageable` with the node's properties, or
 * `inspect failed` with the reason. Any driver may compose it as its `inspect` interface.
 */
export class DiscoverdInspect implements InspectInterface {
  /** The validated options (URL, period, timeouts, concurrency). */
  readonly options: DiscoverdOptions;
  /** The discoverd client; its request bound is shared by `inspectHardware`, `abort` and the periodic task. */
  readonly client: DiscoverdClient;
  readonly #services: DiscoverdInspectServices;
  readonly #stats: DiscoverdInspectStats = {
    started: 0,
    startErrors: 0,
    polls: 0,
    pollErrors: 0,
    succeeded: 0,
    failed: 0,
    lost: 0,
    timedOut: 0,
    abortErrors: 0,
  };

  constructor(options: DiscoverdOptions, services: DiscoverdInspectServices) {
    this.options = options;
    this.#services = services;
    this.client = new DiscoverdClient({
      url: options.discoverd_url,
      http: services.http,
      requestTimeoutMs: options.request_timeout * 1000,
      maxConcurrentRequests: options.max_concurrent_requests,
    });
  }

  /** A snapshot of the running totals. */
  get stats(): Readonly<DiscoverdInspectStats> {
    return { ...this.#stats };
  }

  /** Discoverd addresses nodes by UUID: a node whose UUID is not one cannot be inspected. */
  validate(task: Task): void {
    if (!UUID_PATTERN.test(task.node.uuid)) {
      throw new InvalidParameterValue(
        `Node ${task.node.uuid} cannot be inspected by discoverd: its uuid is not a UUID`,
      );
    }
  }

  /**
   * Asks discoverd to start introspection and records when (`driver_internal_info.inspection_started_at`);
   * `'wait'` moves the node to `inspect wait`. Rejects with `DiscoverdUnreachable` / `DiscoverdError`.
   */
  async inspectHardware(task: Task): Promise<AsyncOutcome> {
    this.validate(task);
    const startedAt = new Date(this.#services.clock.now()).toISOString();
    try {
      await this.client.startIntrospection(task.node.uuid);
    } catch (error) {
      this.#stats.startErrors += 1;
      this.#services.logger.warn({ node: task.node.uuid, err: error }, 'discoverd did not start inspection');
      throw error;
    }
    this.#stats.started += 1;
    await task.save({
      driver_internal_info: {
        ...withoutKeys(task.node.driver_internal_info, INSPECTION_FINISHED_AT),
        [INSPECTION_STARTED_AT]: startedAt,
      },
    });
    this.#services.logger.info({ node: task.node.uuid }, 'node was sent to inspection to discoverd');
    return 'wait';
  }

  /** Asks discoverd to abort (a node it does not know is fine); rejects when discoverd refuses or is down. */
  async abort(task: Task): Promise<void> {
    try {
      await this.client.abortIntrospection(task.node.uuid);
    } catch (error) {
      if (!(error instanceof DiscoverdNodeNotFound)) throw error;
    }
    await task.save({
      driver_internal_info: withoutKeys(task.node.driver_internal_info, INSPECTION_STARTED_AT),
    });
  }

  /**
   * Every `status_check_period` seconds, for each node in `inspect wait` of a driver using this interface:
   * asks discoverd how the inspection goes and ends it when discoverd is done or the timeout is reached.
   * Returns `false` when the node was left as it was.
   */
  @nodePeriodic<DiscoverdInspect>({
    // Named explicitly: compilers that lower decorators may rename the class.
    name: CHECK_INSPECT_STATUS_TASK,
    spacing: (self) => self.options.status_check_period * 1000,
    filters: { provision_state: 'inspect wait' },
    concurrency: (self) => self.options.max_concurrent_requests,
  })
  async checkInspectStatus(task: Task, context: NodePeriodicContext): Promise<boolean> {
    // The sweep exists once per interface class; each node is checked by its own driver's instance, so
    // two drivers configured with different discoverd URLs each reach their own.
    const inspect = task.driver.interfaces.inspect;
    if (!(inspect instanceof DiscoverdInspect)) return false;
    return inspect.#check(task, context.signal);
  }

  async #check(task: Task, signal: AbortSignal): Promise<boolean> {
    const node = task.node;
    if (node.provision_state !== 'inspect wait') return false;
    const startedRaw = node.driver_internal_info[INSPECTION_STARTED_AT];
    const ending = await this.#poll(node, signal);
    if (ending === undefined) return false;
    if (ending === 'timeout') return this.#timeOut(task, startedRaw, signal);
    return this.#end(task, startedRaw, ending);
  }

  /** What discoverd says about the node: an ending, `'timeout'`, or `undefined` for "leave it be". */
  async #poll(node: Readonly<Node>, signal: AbortSignal): Promise<Ending | 'timeout' | undefined> {
    this.#stats.polls += 1;
    try {
      const status = await this.client.getStatus(node.uuid, { signal });
      if (status.error !== null) {
        return { kind: 'fail', lastError: `${INSPECTION_FAILED_PREFIX}${status.error}` };
      }
      if (status.finished) {
        const data = await this.client.getData(node.uuid, { signal });
        return { kind: 'done', properties: inspectedProperties(data) };
      }
    } catch (error) {
      // The conductor is stopping: not discoverd's failure; the next run (of this or another conductor) polls.
      if (signal.aborted) return undefined;
      if (error instanceof DiscoverdNodeNotFound) {
        return {
          kind: 'fail',
          counter: 'lost',
          lastError: `discoverd lost the node: HTTP 404: ${error.discoverdMessage}`,
        };
      }
      if (
        error instanceof InvalidIntrospectionData ||
        (error instanceof DiscoverdError && !error.transient)
      ) {
        return { kind: 'fail', lastError: messageOf(error) };
      }
      if (!isTransient(error)) throw error;
      this.#stats.pollErrors += 1;
      this.#services.logger.warn(
        { node: node.uuid, err: error },
        'checking inspection status with discoverd failed; will retry next period',
      );
    }
    return this.#isOverdue(node) ? 'timeout' : undefined;
  }

  #isOverdue(node: Readonly<Node>): boolean {
    const recorded = node.driver_internal_info[INSPECTION_STARTED_AT];
    const parsed = typeof recorded === 'string' ? Date.parse(recorded) : Number.NaN;
    // A node put in `inspect wait` by other means has no start recorded: count from its last state change.
    const started = Number.isNaN(parsed) ? Date.parse(node.provision_updated_at ?? node.created_at) : parsed;
    const elapsed = this.#services.clock.now() - started;
    return elapsed >= this.options.inspect_wait_timeout * 1000;
  }

  /** Takes the exclusive lock; false when the node moved on (or restarted inspection) meanwhile. */
  async #lockUnchanged(task: Task, startedRaw: unknown): Promise<boolean> {
    await task.upgradeLock();
    return (
      task.node.provision_state === 'inspect wait' &&
      task.node.driver_internal_info[INSPECTION_STARTED_AT] === startedRaw
    );
  }

  async #timeOut(task: Task, startedRaw: unknown, signal: AbortSignal): Promise<boolean> {
    if (!(await this.#lockUnchanged(task, startedRaw))) return false;
    try {
      await this.client.abortIntrospection(task.node.uuid, { signal });
    } catch (error) {
      if (!(error instanceof DiscoverdNodeNotFound)) {
        this.#stats.abortErrors += 1;
        this.#services.logger.warn(
          { node: task.node.uuid, err: error },
          'discoverd did not abort the timed-out inspection',
        );
      }
    }
    return this.#end(task, startedRaw, {
      kind: 'fail',
      counter: 'timedOut',
      lastError: `${INSPECTION_TIMEOUT_MESSAGE}: discoverd reported no result within ${this.options.inspect_wait_timeout} s`,
    });
  }

  async #end(task: Task, startedRaw: unknown, ending: Ending): Promise<boolean> {
    if (!(await this.#lockUnchanged(task, startedRaw))) return false;
    const node = task.node;
    const info = withoutKeys(node.driver_internal_info, INSPECTION_STARTED_AT);
    if (ending.kind === 'done') {
      await task.processEvent('done', {
        changes: {
          properties: { ...node.properties, ...ending.properties },
          driver_internal_info: {
            ...info,
            [INSPECTION_FINISHED_AT]: new Date(this.#services.clock.now()).toISOString(),
          },
        },
      });
      this.#stats.succeeded += 1;
      this.#services.logger.info({ node: node.uuid, properties: ending.properties }, 'inspection finished');
      return true;
    }
    await task.processEvent('fail', { lastError: ending.lastError, changes: { driver_internal_info: info } });
    this.#stats.failed += 1;
    if (ending.counter) this.#stats[ending.counter] += 1;
    this.#services.logger.error({ node: node.uuid, reason: ending.lastError }, 'inspection failed');
    return true;
  }
}
