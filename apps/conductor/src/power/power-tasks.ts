import {
  createNodeSweepTask,
  type Driver,
  type Node,
  type NodeStore,
  type NodeSweepTask,
  type RingRange,
} from '@ironic/driver-base';
import type { Logger } from 'pino';
import type { ConductorConfig } from '../config/schema.js';
import { PowerFailureRecovery } from './power-failure-recovery.js';
import { PowerStateSync } from './power-state-sync.js';

/** What the power tasks need from the conductor. */
export interface PowerTasksOptions {
  /** The `conductor` section: intervals, retries, workers, force. */
  readonly config: Pick<
    ConductorConfig['conductor'],
    | 'sync_power_state_interval'
    | 'force_power_state_during_sync'
    | 'power_state_sync_max_retries'
    | 'sync_power_state_workers'
    | 'power_failure_recovery_interval'
  >;
  readonly drivers: readonly Driver[];
  readonly nodes: NodeStore;
  readonly logger: Logger;
  /** Whether this conductor owns a node (its hash rings). */
  readonly ownsNode: (node: Readonly<Node>) => boolean;
  /** The ring ranges of a driver's nodes this conductor owns, selected in the database when given. */
  readonly ownedRanges?: (driver: string) => readonly RingRange[];
  /** Nodes read per database page by the sweeps. Default: `createNodeSweepTask`'s. */
  readonly pageSize?: number;
  /** The conductor's clock (epoch ms). */
  readonly now: () => number;
}

/** The power sync and the power failure recovery, and their sweeps for the worker. */
export interface PowerTasks {
  readonly sync: PowerStateSync;
  readonly recovery: PowerFailureRecovery;
  /** `conductor.syncPowerStates` and `conductor.checkPowerFailureRecovery`. */
  readonly tasks: readonly NodeSweepTask[];
}

/**
 * The conductor's power tasks as node sweeps over the nodes of every driver with a power interface:
 * paging, ownership, locks and concurrency are the sweeps' own, shared with the drivers' periodic tasks.
 */
export function powerTasks(options: PowerTasksOptions): PowerTasks {
  const { config } = options;
  const sweepOptions = {
    nodes: options.nodes,
    drivers: options.drivers.filter((driver) => driver.interfaces.power).map((driver) => driver.name),
    logger: options.logger,
    ownsNode: options.ownsNode,
    ...(options.ownedRanges ? { ownedRanges: options.ownedRanges } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  };
  const sync = new PowerStateSync({
    interval: config.sync_power_state_interval,
    force: config.force_power_state_during_sync,
    maxRetries: config.power_state_sync_max_retries,
    workers: config.sync_power_state_workers,
    now: options.now,
  });
  const recovery = new PowerFailureRecovery({
    interval: config.power_failure_recovery_interval,
    workers: config.sync_power_state_workers,
  });
  const syncSweep = createNodeSweepTask(sync.definition(), sweepOptions);
  const tasks: NodeSweepTask[] = [
    {
      ...syncSweep,
      // Each run is one sweep of the sync's figures; only a complete one prunes its failure counts.
      run: async (context) => {
        sync.beginSweep();
        let complete = false;
        try {
          await syncSweep.run(context);
          complete = !context.signal.aborted;
        } finally {
          sync.endSweep(complete);
        }
      },
    },
    createNodeSweepTask(recovery.definition(), sweepOptions),
  ];
  return { sync, recovery, tasks };
}
