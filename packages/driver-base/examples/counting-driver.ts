// A complete third-party driver: fake power, plus an inspect interface whose per-node periodic task
// finishes inspections, and a plain periodic task. Run by test/example.test.ts, shown in the README.

import {
  type AsyncOutcome,
  defineDriver,
  FakePower,
  type InspectInterface,
  nodePeriodic,
  type Task,
} from '@ironic/driver-base';
import { periodic } from '@ironic/periodic-core';
import type { StandardSchemaV1 } from '@standard-schema/spec';

interface Options {
  poll_seconds: number;
}

// Any Standard Schema works (zod, valibot...); this one is hand-written to need no dependency.
const optionsSchema: StandardSchemaV1<unknown, Options> = {
  '~standard': {
    version: 1,
    vendor: 'example',
    validate(value) {
      const poll = (value as { poll_seconds?: unknown } | undefined)?.poll_seconds ?? 30;
      return typeof poll === 'number' && poll > 0
        ? { value: { poll_seconds: poll } }
        : { issues: [{ message: 'must be a positive number of seconds', path: ['poll_seconds'] }] };
    },
  },
};

export class CountingInspect implements InspectInterface {
  sweeps = 0;
  constructor(readonly options: Options) {}

  async inspectHardware(task: Task): Promise<AsyncOutcome> {
    await task.save({ driver_internal_info: { ...task.node.driver_internal_info, inspect_requested: true } });
    return 'wait'; // the node waits in `inspect wait`; the periodic task below finishes it
  }

  @nodePeriodic<CountingInspect>({
    spacing: (self) => self.options.poll_seconds * 1000,
    filters: { provision_state: 'inspect wait', maintenance: false },
  })
  async finishInspection(task: Task) {
    await task.upgradeLock(); // handlers start with a shared lock
    if (task.node.provision_state !== 'inspect wait') return false;
    await task.processEvent('done', { changes: { properties: { ...task.node.properties, cpus: 16 } } });
  }

  @periodic({ spacing: '1m' })
  countSweeps() {
    this.sweeps++;
  }
}

export default defineDriver<Options>({
  name: 'counting',
  optionsSchema,
  create: (options) => ({
    name: 'counting',
    interfaces: { power: new FakePower(), inspect: new CountingInspect(options) },
  }),
});
