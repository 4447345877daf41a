import diagnosticsChannel from 'node:diagnostics_channel';

/** Published when a run starts. Message: a `RunMessage` with `status: 'started'`. */
export const RUN_START_CHANNEL = 'ironic:periodic:run:start';
/** Published when a run settles, whatever its outcome. Message: a `RunMessage` with the final status. */
export const RUN_END_CHANNEL = 'ironic:periodic:run:end';
/** Published when a run fails (throws or rejects), before its `end` message. */
export const RUN_ERROR_CHANNEL = 'ironic:periodic:run:error';
/** Published when a run falls due (or is asked for) while the previous one is still running. */
export const RUN_SKIP_CHANNEL = 'ironic:periodic:run:skip';

/** The names of the `node:diagnostics_channel` channels a `PeriodicWorker` publishes on. */
export const periodicChannels = {
  runStart: RUN_START_CHANNEL,
  runEnd: RUN_END_CHANNEL,
  runError: RUN_ERROR_CHANNEL,
  runSkip: RUN_SKIP_CHANNEL,
} as const;

// Channel objects are created once; publishers check `hasSubscribers` before building a message.
export const runStartChannel = diagnosticsChannel.channel(RUN_START_CHANNEL);
export const runEndChannel = diagnosticsChannel.channel(RUN_END_CHANNEL);
export const runErrorChannel = diagnosticsChannel.channel(RUN_ERROR_CHANNEL);
export const runSkipChannel = diagnosticsChannel.channel(RUN_SKIP_CHANNEL);
