import { InspectorApiError } from './api-error.js';
import type { ResolvedBehaviour } from './behaviour.js';
import { buildIntrospectionData, type IntrospectionData } from './introspection-data.js';
import { type IntrospectionRun, statusAt } from './timeline.js';
import type { Clock, HardwareProfile, IntrospectionState, IntrospectionView } from './types.js';

interface NodeRecord {
  readonly run: IntrospectionRun;
  readonly hardware: Partial<HardwareProfile>;
}

/** What an accepted abort request did: inspector answers 202 either way. */
export type AbortOutcome = 'aborting' | 'already-ended';

/** States in which inspector holds the node lock, so an abort is refused. */
const LOCKED_STATES: ReadonlySet<IntrospectionState> = new Set(['starting', 'processing', 'aborting']);
/** States from which inspector's state machine allows a new `start` event. */
const RESTARTABLE_STATES: ReadonlySet<IntrospectionState> = new Set(['waiting', 'finished', 'error']);

/** The simulated inspector cache: one record per introspected node, states derived from the clock on read. */
export class IntrospectionStore {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #nodes = new Map<string, NodeRecord>();

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  /** Starts (or restarts) introspection; throws inspector's 400 when the state machine forbids `start`. */
  start(uuid: string, behaviour: ResolvedBehaviour): void {
    const now = this.#clock.now();
    const existing = this.#nodes.get(uuid);
    if (existing) {
      const { state } = statusAt(existing.run, now);
      if (!RESTARTABLE_STATES.has(state)) {
        throw new InspectorApiError(
          400,
          `Can not transition from state '${state}' on event 'start' (no defined transition)`,
        );
      }
    }
    this.#nodes.set(uuid, {
      run: {
        uuid,
        startedAt: now,
        durationMs: behaviour.durationMs,
        fail: behaviour.fail,
        timeoutMs: this.#timeoutMs,
      },
      hardware: behaviour.hardware,
    });
  }

  /** Aborts a waiting introspection; throws 404 for an unknown node and 409 while inspector would hold its lock. */
  abort(uuid: string, abortDurationMs: number): AbortOutcome {
    const record = this.#require(uuid);
    const now = this.#clock.now();
    const { state } = statusAt(record.run, now);
    if (LOCKED_STATES.has(state)) {
      throw new InspectorApiError(409, 'Node is locked, please, retry later');
    }
    // Inspector accepts an abort of an ended introspection and then ignores it in the background.
    if (state !== 'waiting') return 'already-ended';
    this.#nodes.set(uuid, {
      ...record,
      run: { ...record.run, abort: { at: now, durationMs: abortDurationMs } },
    });
    return 'aborting';
  }

  /** Status of a node's introspection; throws 404 for a node never started. */
  status(uuid: string): IntrospectionView {
    return this.#view(this.#require(uuid));
  }

  /** Status of a node's introspection, or undefined for a node never started. */
  find(uuid: string): IntrospectionView | undefined {
    const record = this.#nodes.get(uuid);
    return record ? this.#view(record) : undefined;
  }

  /** Every node's status, newest start first (ties by UUID, descending), as inspector lists them. */
  list(): IntrospectionView[] {
    return [...this.#nodes.values()]
      .map((record) => this.#view(record))
      .sort((a, b) => b.startedAt - a.startedAt || (a.uuid < b.uuid ? 1 : a.uuid > b.uuid ? -1 : 0));
  }

  /**
   * Forgets every node Ironic no longer has (inspector's periodic `sync_with_ironic`); returns their UUIDs.
   */
  keepOnly(ironicUuids: ReadonlySet<string>): string[] {
    const dropped = [...this.#nodes.keys()].filter((uuid) => !ironicUuids.has(uuid));
    for (const uuid of dropped) this.#nodes.delete(uuid);
    return dropped;
  }

  /** Processed data of a finished introspection; throws inspector's 404 when none is stored. */
  data(uuid: string): IntrospectionData {
    const record = this.#nodes.get(uuid);
    if (!record || statusAt(record.run, this.#clock.now()).state !== 'finished') {
      throw new InspectorApiError(404, `Introspection data not found for node ${uuid}, processed=True`);
    }
    return buildIntrospectionData(uuid, record.hardware);
  }

  #require(uuid: string): NodeRecord {
    const record = this.#nodes.get(uuid);
    if (!record) throw new InspectorApiError(404, `Could not find node ${uuid} in cache`);
    return record;
  }

  #view(record: NodeRecord): IntrospectionView {
    const status = statusAt(record.run, this.#clock.now());
    return {
      uuid: record.run.uuid,
      state: status.state,
      finished: status.finishedAt !== null,
      error: status.error,
      startedAt: record.run.startedAt,
      finishedAt: status.finishedAt,
    };
  }
}
