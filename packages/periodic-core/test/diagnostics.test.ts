import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import {
  definePeriodicTask,
  ManualClock,
  PeriodicWorker,
  periodicChannels,
  RUN_END_CHANNEL,
  RUN_ERROR_CHANNEL,
  RUN_SKIP_CHANNEL,
  RUN_START_CHANNEL,
  type RunMessage,
} from '../src/index.js';
import { deferred } from './helpers.js';

const unsubscribers: Array<() => void> = [];

function record(name: string): RunMessage[] {
  const messages: RunMessage[] = [];
  const listener = (message: unknown) => messages.push(message as RunMessage);
  diagnosticsChannel.subscribe(name, listener);
  unsubscribers.push(() => diagnosticsChannel.unsubscribe(name, listener));
  return messages;
}

describe('diagnostics channels', () => {
  afterEach(() => {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  });

  it('has documented names', () => {
    expect(periodicChannels).toEqual({
      runStart: 'ironic:periodic:run:start',
      runEnd: 'ironic:periodic:run:end',
      runError: 'ironic:periodic:run:error',
      runSkip: 'ironic:periodic:run:skip',
    });
  });

  it('publishes start, end, error and skip messages', async () => {
    const starts = record(RUN_START_CHANNEL);
    const ends = record(RUN_END_CHANNEL);
    const errors = record(RUN_ERROR_CHANNEL);
    const skips = record(RUN_SKIP_CHANNEL);
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const failure = new Error('bmc unreachable');
    let calls = 0;
    const hold = deferred();
    worker.add(
      definePeriodicTask(
        async () => {
          calls++;
          await new Promise<void>((resolve) => clock.setTimer(resolve, 5));
          if (calls === 2) throw failure;
          if (calls === 3) await hold.promise;
        },
        { name: 'probe', spacing: 100 },
      ),
    );
    worker.start();
    await clock.advance(100);
    expect(starts).toEqual([{ name: 'probe', scheduledAt: 100, startedAt: 100, status: 'started' }]);
    expect(ends).toEqual([]);
    await clock.advance(5);
    expect(ends).toEqual([
      {
        name: 'probe',
        scheduledAt: 100,
        startedAt: 100,
        finishedAt: 105,
        durationMs: 5,
        status: 'succeeded',
      },
    ]);
    await clock.advance(100);
    const failed = {
      name: 'probe',
      scheduledAt: 200,
      startedAt: 200,
      finishedAt: 205,
      durationMs: 5,
      error: failure,
    };
    expect(errors).toEqual([{ ...failed, status: 'failed' }]);
    expect(ends[1]).toEqual({ ...failed, status: 'failed' });
    await clock.advance(100);
    expect(skips).toEqual([]);
    await clock.advance(100);
    expect(skips).toEqual([{ name: 'probe', scheduledAt: 400, startedAt: 400, status: 'skipped' }]);
    hold.resolve();
    await worker.idle();
    await worker.stop();
  });
});
