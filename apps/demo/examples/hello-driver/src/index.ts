// ironic-driver-hello: a complete third-party driver with its own periodic tasks. The README shows this
// file; apps/demo/test/driver-author.test.ts compiles it, installs it next to a real conductor and runs it.
import {
  type AsyncOutcome,
  type DriverPackage,
  type DriverServices,
  defineDriver,
  FakePower,
  type InspectInterface,
  nodePeriodic,
  type Task,
} from '@ironic/driver-base';
import { periodic, type TaskContext } from '@ironic/periodic-core';

/** The driver's options: `drivers.options.hello` in the conductor's configuration. */
export interface HelloOptions {
  /** Seconds an inspection takes. Default 10. */
  inspect_seconds: number;
  /** Seconds between two looks at the nodes in `inspect wait`. Default 5. */
  check_interval: number;
}

const DEFAULTS: HelloOptions = { inspect_seconds: 10, check_interval: 5 };

/** A hand-written Standard Schema (zod, valibot or arktype work too): defaults, and a message per bad field. */
export const optionsSchema: DriverPackage<HelloOptions>['optionsSchema'] = {
  '~standard': {
    version: 1,
    vendor: 'ironic-driver-hello',
    validate(value) {
      const input = { ...DEFAULTS, ...(value as Partial<HelloOptions> | undefined) };
      const issues = (['inspect_seconds', 'check_interval'] as const)
        .filter((key) => typeof input[key] !== 'number' || !(input[key] > 0))
        .map((key) => ({ message: 'must be a number of seconds > 0', path: [key] }));
      return issues.length > 0 ? { issues } : { value: input };
    },
  },
};

/** Inspection that ends on its own after `inspect_seconds`, finished by a per-node periodic task. */
export class HelloInspect implements InspectInterface {
  /** How many times `sayHello` ran. */
  greetings = 0;

  constructor(
    readonly options: HelloOptions,
    private readonly services: DriverServices<HelloOptions>,
  ) {}

  async inspectHardware(task: Task): Promise<AsyncOutcome> {
    const info = { ...task.node.driver_internal_info, hello_started_at: this.services.clock.now() };
    await task.save({ driver_internal_info: info });
    return 'wait'; // the node waits in `inspect wait` until finishInspections ends it
  }

  // Per node: every check_interval, the conductor calls this for each of its nodes in `inspect wait`
  // whose driver uses HelloInspect, with a shared lock on the node.
  @nodePeriodic<HelloInspect>({
    spacing: (self) => self.options.check_interval * 1000,
    filters: { provision_state: 'inspect wait', maintenance: false },
  })
  async finishInspections(task: Task) {
    const startedAt = task.node.driver_internal_info.hello_started_at;
    const done =
      typeof startedAt === 'number' &&
      this.services.clock.now() - startedAt >= this.options.inspect_seconds * 1000;
    if (!done) return false; // not handled: does not count toward a `limit`
    await task.upgradeLock(); // exclusive from here; the node is re-read
    if (task.node.provision_state !== 'inspect wait') return false;
    const { hello_started_at: _, ...info } = task.node.driver_internal_info;
    await task.processEvent('done', {
      changes: {
        driver_internal_info: info,
        properties: { ...task.node.properties, greeting: `hello, ${task.node.name ?? task.node.uuid}` },
      },
    });
  }

  // Once per conductor: a plain periodic task of the interface, with its own spacing.
  @periodic({ spacing: '30s', runImmediately: true })
  sayHello({ logger }: TaskContext) {
    this.greetings++;
    logger.info({ greetings: this.greetings }, 'hello from ironic-driver-hello');
  }
}

/** The package's default export: the conductor enables it by package name. */
export default defineDriver<HelloOptions>({
  name: 'hello',
  optionsSchema,
  create: (options, services) => ({
    name: 'hello',
    interfaces: { power: new FakePower(), inspect: new HelloInspect(options, services) },
  }),
});
