import { definePeriodicTask, type PeriodicTask } from '@ironic/periodic-core';
import type { ClusterMembership } from '../cluster/cluster-membership.js';
import type { ConductorRegistry } from '../store/conductor-registry.js';

/** The conductor's own periodic tasks. */
export interface ConductorTasksOptions {
  registry: ConductorRegistry;
  /** The heartbeat, the members and the hash rings, read again after every heartbeat. */
  membership: ClusterMembership;
  conductorId: string;
  /** Seconds between heartbeats. */
  heartbeatInterval: number;
  /** Seconds after which a silent conductor may be found dead. */
  heartbeatTimeout: number;
}

/** The name of the liveness heartbeat task (which then reads the members and rebuilds the hash rings). */
export const HEARTBEAT_TASK = 'conductor.heartbeat';
/** The name of the task that frees nodes locked by dead conductors. */
export const CLEAR_DEAD_RESERVATIONS_TASK = 'conductor.clearDeadReservations';

/**
 * The liveness heartbeat, followed by the membership refresh in the same run (on the serial lane, so
 * busy driver tasks never delay it past the timeout; publishing this conductor's ring before reading the
 * others' is what the hand-over relies on), and the clearing of reservations left by conductors found dead.
 */
export function conductorTasks(options: ConductorTasksOptions): PeriodicTask[] {
  const { membership } = options;
  const heartbeat = definePeriodicTask(() => membership.tick(), {
    name: HEARTBEAT_TASK,
    spacing: options.heartbeatInterval * 1000,
    parallel: false,
  });
  const clearDead = definePeriodicTask(
    async ({ logger }) => {
      // A fenced conductor's view of who is dead is the stale one.
      if (membership.fenced) return;
      const dead = membership.deadIds;
      const freed = await options.registry.clearDeadReservations(
        options.conductorId,
        dead,
        options.heartbeatTimeout * 1000,
      );
      if (freed > 0) logger.warn({ freed, dead }, 'cleared reservations of dead conductors');
    },
    { name: CLEAR_DEAD_RESERVATIONS_TASK, spacing: options.heartbeatInterval * 1000, runImmediately: true },
  );
  return [heartbeat, clearDead];
}
