export { collectPeriodicTasks } from './collect.js';
export { definePeriodicTask } from './define.js';
export {
  periodicChannels,
  RUN_END_CHANNEL,
  RUN_ERROR_CHANNEL,
  RUN_SKIP_CHANNEL,
  RUN_START_CHANNEL,
} from './diagnostics.js';
export { parseDuration } from './duration.js';
export {
  DuplicateTaskName,
  InvalidDuration,
  InvalidPeriodicOptions,
  InvalidWorkerOptions,
  NeverAgain,
  PeriodicError,
  TaskTimedOut,
  UnknownTask,
  WorkerAlreadyStarted,
  WorkerStopped,
} from './errors.js';
export { ManualClock, settle } from './manual-clock.js';
export { type OptionsSite, resolvePeriodicOptions } from './options.js';
export { type PeriodicMethod, periodic, periodicOptionsOf } from './periodic.js';
export { MAX_TIMER_DELAY_MS, PRECISE_WAIT_MS, SPIN_LEAD_MS, systemClock } from './system-clock.js';
export type * from './types.js';
export { PeriodicWorker } from './worker.js';
