import { definePeriodicTask, type PeriodicTask } from '@ironic/periodic-core';
import type { ClusterMembership } from '../cluster/cluster-membership.js';
import type { ConductorRegistry } from '../store/conductor-registry.js';

/** The conductor's own periodic tasks. */
export interface ConductorTasksOptions {
  registry: ConductorRegistry;
  /** The hash rings, rebuilt from the `conductors` table every heartbeat interval. */
  membership: ClusterMembership;
  conductorId: string;
  host: string;
  drivers: readonly string[];
  /** Seconds between heartbeats. */
  heartbeatInterval: number;
  /** Seconds after which a silent conductor's reservations are cleared. */
  heartbeatTimeout: number;
}

/** The name of the liveness heartbeat task. */
export const HEARTBEAT_TASK = 'conductor.heartbeat';
/** The name of the task that frees nodes locked by dead conductors. */
export const CLEAR_DEAD_RESERVATIONS_TASK = 'conductor.clearDeadReservations';
/** The name of the task that re-reads the cluster's members and rebuilds the hash rings. */
export const REFRESH_MEMBERSHIP_TASK = 'conductor.refreshMembership';

/**
 * The liveness heartbeat and the membership refresh (on the serial lane, so busy driver tasks never
 * delay them past the timeout), and the clearing of reservations left by conductors that died. A dead
 * conductor leaves the rings at most `heartbeatTimeout + heartbeatInterval` after its last heartbeat.
 */
export function conductorTasks(options: ConductorTasksOptions): PeriodicTask[] {
  const heartbeat = definePeriodicTask(
    () => options.registry.heartbeat(options.conductorId, options.host, options.drivers),
    { name: HEARTBEAT_TASK, spacing: options.heartbeatInterval * 1000, parallel: false },
  );
  const clearDead = definePeriodicTask(
    async ({ logger }) => {
      const freed = await options.registry.clearDeadReservations(
        options.conductorId,
        options.heartbeatTimeout * 1000,
      );
      if (freed > 0) logger.warn({ freed }, 'cleared reservations of dead conductors');
    },
    { name: CLEAR_DEAD_RESERVATIONS_TASK, spacing: options.heartbeatInterval * 1000, runImmediately: true },
  );
  const refresh = definePeriodicTask(() => options.membership.refresh(), {
    name: REFRESH_MEMBERSHIP_TASK,
    spacing: options.heartbeatInterval * 1000,
    parallel: false,
  });
  return [heartbeat, refresh, clearDead];
}
