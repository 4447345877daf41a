import type { ManualClock } from '@ironic/periodic-core';

/**
 * Moves a fake clock by `ms` one due timer at a time, awaiting `settle` (the conductors' runs) after
 * each, as real time would: one jump over several heartbeat periods would leave every heartbeat stale
 * at once, and the conductors would see each other — or themselves — as dead.
 */
export async function advanceByTimers(
  clock: ManualClock,
  ms: number,
  settle: () => Promise<unknown>,
): Promise<void> {
  const target = clock.now() + ms;
  for (let at = clock.nextTimerAt; at !== undefined && at <= target; at = clock.nextTimerAt) {
    await clock.advanceTo(at);
    await settle();
  }
  await clock.advanceTo(target);
  await settle();
}
