import diagnosticsChannel from 'node:diagnostics_channel';
import type { NodeRepository, NodeSweepTask } from '@ironic/driver-base';
import { RUN_END_CHANNEL, type RunMessage } from '@ironic/periodic-core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PowerRecoveryFigures } from './power/power-failure-recovery.js';
import type { PowerSyncFigures } from './power/power-sync-stats.js';

/** What the cluster metrics read, on each scrape. */
export interface ClusterMetricsSource {
  /** Nodes this conductor owns under its current hash rings. */
  ownedNodes(): Promise<number>;
  /** The members as last read, with their liveness. */
  members(): readonly { readonly alive: boolean }[];
}

/** What the metrics read from the conductor. */
export interface ConductorMetricsOptions {
  /** Counted on each scrape for `ironic_nodes`. */
  repository: Pick<NodeRepository, 'countByProvisionState'>;
  /** Whether a finished run belongs to this conductor's worker (channels are process-wide). */
  ownsTask: (name: string) => boolean;
  /** The per-node sweeps, whose counters feed `ironic_node_sweep_nodes_total`. */
  sweeps: () => readonly NodeSweepTask[];
  /** Feeds `ironic_conductor_owned_nodes` and `ironic_conductor_members`; without it they are absent. */
  cluster?: ClusterMetricsSource;
  /** Feeds the `ironic_power_sync_*` and `ironic_power_failure_recovery_*` metrics; without it they are absent. */
  power?: PowerMetricsSource;
}

/** What the power-state metrics read, on each scrape. */
export interface PowerMetricsSource {
  sync(): PowerSyncFigures;
  recovery(): PowerRecoveryFigures;
}

const POWER_SYNC_OUTCOMES = ['checked', 'changed', 'failed', 'maintenance'] as const;

const SWEEP_OUTCOMES = ['visited', 'handled', 'skippedLocked', 'skippedNotFound', 'errors'] as const;

/**
 * The conductor's Prometheus metrics, on a registry of its own: periodic task runs and durations (from
 * periodic-core's diagnostics channel), nodes by provision state, per-node sweep outcomes, and the nodes this
 * conductor owns and the cluster's members by liveness (read on scrape).
 */
export class ConductorMetrics {
  readonly registry = new Registry();
  readonly #runs: Counter<'task' | 'status'>;
  readonly #failures: Counter<'task'>;
  readonly #durations: Histogram<'task'>;
  readonly #onRunEnd: (message: unknown) => void;
  #subscribed = false;

  constructor(options: ConductorMetricsOptions) {
    const registers = [this.registry];
    this.#runs = new Counter({
      name: 'ironic_periodic_task_runs_total',
      help: 'Periodic task runs by outcome (succeeded, failed, timed-out, skipped).',
      labelNames: ['task', 'status'],
      registers,
    });
    this.#failures = new Counter({
      name: 'ironic_periodic_task_failures_total',
      help: 'Periodic task runs that threw or timed out.',
      labelNames: ['task'],
      registers,
    });
    this.#durations = new Histogram({
      name: 'ironic_periodic_task_duration_seconds',
      help: 'How long periodic task runs took.',
      labelNames: ['task'],
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
    new Gauge({
      name: 'ironic_nodes',
      help: 'Nodes by provision state.',
      labelNames: ['provision_state'],
      registers,
      async collect() {
        const counts = await options.repository.countByProvisionState();
        this.reset();
        for (const [state, count] of Object.entries(counts)) this.set({ provision_state: state }, count ?? 0);
      },
    });
    new Counter({
      name: 'ironic_node_sweep_nodes_total',
      help: 'Nodes met by per-node periodic sweeps, by outcome.',
      labelNames: ['task', 'outcome'],
      registers,
      collect() {
        // The sweeps keep running totals; the counter mirrors them on each scrape.
        this.reset();
        for (const sweep of options.sweeps()) {
          for (const outcome of SWEEP_OUTCOMES) this.inc({ task: sweep.name, outcome }, sweep.sweep[outcome]);
        }
      },
    });
    const cluster = options.cluster;
    if (cluster) {
      new Gauge({
        name: 'ironic_conductor_owned_nodes',
        help: 'Nodes the hash rings give this conductor.',
        registers,
        async collect() {
          this.set(await cluster.ownedNodes());
        },
      });
      new Gauge({
        name: 'ironic_conductor_members',
        help: 'Registered conductors by liveness, as this conductor last read them.',
        labelNames: ['alive'],
        registers,
        collect() {
          const members = cluster.members();
          const alive = members.filter((member) => member.alive).length;
          this.set({ alive: 'true' }, alive);
          this.set({ alive: 'false' }, members.length - alive);
        },
      });
    }
    if (options.power) registerPowerMetrics(registers, options.power);
    this.#onRunEnd = (raw) => {
      const message = raw as RunMessage;
      if (!options.ownsTask(message.name)) return;
      this.#runs.inc({ task: message.name, status: message.status });
      if (message.status === 'failed' || message.status === 'timed-out')
        this.#failures.inc({ task: message.name });
      if (message.durationMs !== undefined)
        this.#durations.observe({ task: message.name }, message.durationMs / 1000);
    };
  }

  /** Starts counting runs. */
  subscribe(): void {
    if (this.#subscribed) return;
    diagnosticsChannel.subscribe(RUN_END_CHANNEL, this.#onRunEnd);
    this.#subscribed = true;
  }

  /** Stops counting runs. */
  unsubscribe(): void {
    if (!this.#subscribed) return;
    diagnosticsChannel.unsubscribe(RUN_END_CHANNEL, this.#onRunEnd);
    this.#subscribed = false;
  }

  /** The Content-Type of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The metrics in Prometheus' text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The power-state sync's and the power failure recovery's figures, read on each scrape. */
function registerPowerMetrics(registers: Registry[], power: PowerMetricsSource): void {
  new Counter({
    name: 'ironic_power_sync_sweeps_total',
    help: 'Sweeps of the power-state sync (conductor.syncPowerStates) started.',
    registers,
    collect() {
      this.reset();
      this.inc(power.sync().sweeps);
    },
  });
  new Counter({
    name: 'ironic_power_sync_nodes_total',
    help: 'Nodes of the power-state sync: checked (BMC asked), changed (record corrected or hardware powered back), failed (BMC or power action failed), maintenance (given up on).',
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      const { totals } = power.sync();
      for (const outcome of POWER_SYNC_OUTCOMES) this.inc({ outcome }, totals[outcome]);
    },
  });
  new Gauge({
    name: 'ironic_power_sync_last_sweep_duration_seconds',
    help: 'How long the last complete sweep of the power-state sync took.',
    registers,
    collect() {
      const last = power.sync().lastSweep;
      if (last?.durationMs != null) this.set(last.durationMs / 1000);
    },
  });
  new Gauge({
    name: 'ironic_power_sync_last_sweep_nodes',
    help: 'Nodes of the last complete sweep of the power-state sync, by outcome.',
    labelNames: ['outcome'],
    registers,
    collect() {
      const last = power.sync().lastSweep;
      if (!last) return;
      for (const outcome of POWER_SYNC_OUTCOMES) this.set({ outcome }, last[outcome]);
    },
  });
  new Counter({
    name: 'ironic_power_failure_recovery_nodes_total',
    help: 'Nodes in maintenance for a power failure: checked (BMC asked), recovered (out of maintenance).',
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      const figures = power.recovery();
      this.inc({ outcome: 'checked' }, figures.checked);
      this.inc({ outcome: 'recovered' }, figures.recovered);
    },
  });
}
