import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { collectDriverTasks } from '../src/collect-driver-tasks.js';
import { createDriver } from '../src/create-driver.js';
import { type AsyncOutcome, type Driver, defineDriver, type InspectInterface } from '../src/driver.js';
import {
  checkDriverImplementations,
  chosenImplementation,
  driverForNode,
  driverInterfaceTable,
  resolveNodeInterfaces,
} from '../src/driver-interfaces.js';
import { InvalidParameterValue } from '../src/errors.js';
import { FakePower } from '../src/fake-power.js';
import { nodePeriodic } from '../src/node-periodic.js';
import type { NodeSweepTask } from '../src/node-sweep.js';
import type { Task } from '../src/task.js';
import { TaskManager } from '../src/task-manager.js';
import { InMemoryNodeRepository } from '../src/testing/in-memory-node-repository.js';

/** An inspect implementation that records the nodes its sweep visits. */
class PollingInspect implements InspectInterface {
  readonly visited: string[] = [];
  constructor(readonly label: string) {}
  async inspectHardware(): Promise<AsyncOutcome> {
    return 'wait';
  }
  @nodePeriodic({ spacing: '1m', filters: { provision_state: 'inspect wait' } })
  async poll(task: Task) {
    this.visited.push(task.node.name as string);
  }
}

class OtherInspect implements InspectInterface {
  readonly visited: string[] = [];
  constructor(readonly label: string) {}
  async inspectHardware(): Promise<AsyncOutcome> {
    return 'wait';
  }
  @nodePeriodic({ spacing: '1m', filters: { provision_state: 'inspect wait' } })
  async poll(task: Task) {
    this.visited.push(task.node.name as string);
  }
}

const power = new FakePower();
const primary = new PollingInspect('primary');
const secondary = new OtherInspect('secondary');
const choosy: Driver = {
  name: 'choosy',
  interfaces: { power, inspect: primary },
  implementations: {
    inspect: { default: 'primary', implementations: { primary, secondary, 'no-inspect': null } },
    storage: { default: 'noop', implementations: { noop: {}, cinder: {} } },
  },
};
const plain: Driver = { name: 'plain', interfaces: { power } };

describe('interface implementations a node chooses', () => {
  it('tables every interface: the choices a driver declares, else its one implementation or Ironic no-op', () => {
    const table = driverInterfaceTable(choosy);
    expect(table.inspect.default).toBe('primary');
    expect([...table.inspect.implementations.keys()]).toEqual(['primary', 'secondary', 'no-inspect']);
    expect(table.power.default).toBe('choosy');
    expect(table.raid).toEqual({ default: 'no-raid', implementations: new Map([['no-raid', null]]) });
    const plainTable = driverInterfaceTable(plain);
    expect(plainTable.network.default).toBe('noop');
    expect(plainTable.network.implementations.get('noop')).toEqual({});
    expect(plainTable.vendor.default).toBe('no-vendor');
  });

  it("gives a task the node's implementations as its driver's interfaces", () => {
    expect(driverForNode(choosy, { inspect_interface: 'secondary' }).interfaces.inspect).toBe(secondary);
    expect(driverForNode(choosy, { inspect_interface: 'no-inspect' }).interfaces.inspect).toBeUndefined();
    expect(driverForNode(choosy, {}).interfaces.inspect).toBe(primary);
    // Unknown names fall back to the default; views are cached; a driver without choices is itself.
    expect(driverForNode(choosy, { inspect_interface: 'gone' }).interfaces.inspect).toBe(primary);
    expect(driverForNode(choosy, { inspect_interface: 'secondary' })).toBe(
      driverForNode(choosy, { inspect_interface: 'secondary' }),
    );
    expect(driverForNode(plain, { inspect_interface: 'x' })).toBe(plain);
    expect(chosenImplementation(choosy, { storage_interface: 'cinder' }, 'storage')).toBe('cinder');
  });

  it("checks a node's choices as Ironic does: unknown anywhere, or not this driver's", () => {
    const fields = resolveNodeInterfaces(choosy, { inspect_interface: 'secondary', raid_interface: null }, [
      choosy,
      plain,
    ]);
    expect(fields).toMatchObject({
      inspect_interface: 'secondary',
      raid_interface: 'no-raid',
      storage_interface: 'noop',
      power_interface: 'choosy',
    });
    expect(() => resolveNodeInterfaces(choosy, { inspect_interface: 'redfish' }, [choosy, plain])).toThrow(
      "Could not find the following interface in the 'ironic.hardware.interfaces.inspect' entrypoint: redfish. Valid interfaces are ['no-inspect', 'primary', 'secondary'].",
    );
    expect(() => resolveNodeInterfaces(plain, { storage_interface: 'cinder' }, [choosy, plain])).toThrow(
      new InvalidParameterValue(
        "storage interface implementation 'cinder' is not supported by hardware type plain.",
      ),
    );
  });

  it('refuses a driver whose choices do not match its interfaces', async () => {
    expect(() =>
      checkDriverImplementations({
        ...choosy,
        implementations: { inspect: { default: 'missing', implementations: { primary } } },
      }),
    ).toThrow('the default inspect implementation "missing" is not among its inspect implementations');
    expect(() =>
      checkDriverImplementations({
        ...choosy,
        implementations: { inspect: { default: 'secondary', implementations: { primary, secondary } } },
      }),
    ).toThrow('interfaces.inspect must be its default inspect implementation "secondary"');
    expect(() =>
      checkDriverImplementations({
        ...choosy,
        implementations: { power: { default: 'choosy', implementations: { choosy: power, none: null } } },
      }),
    ).toThrow('every power implementation must be an interface');
    const broken = defineDriver({
      name: 'broken',
      optionsSchema: { '~standard': { version: 1, vendor: 't', validate: () => ({ value: {} }) } },
      create: () => ({
        ...choosy,
        name: 'broken',
        implementations: { inspect: { default: 'x', implementations: {} } },
      }),
    });
    await expect(
      createDriver(
        broken,
        {},
        {
          nodes: undefined as never,
          logger: pino({ level: 'silent' }),
          http: undefined as never,
          clock: undefined as never,
          conductorId: 'c',
        },
      ),
    ).rejects.toThrow(TypeError);
  });

  it("sweeps each implementation's nodes only: the nodes that chose it", async () => {
    const repository = new InMemoryNodeRepository();
    const drivers = new Map([[choosy.name, choosy]]);
    const nodes = new TaskManager({ repository, conductorId: 'c', driverFor: (name) => drivers.get(name) });
    await repository.create({ name: 'by-default', driver: 'choosy', provision_state: 'inspect wait' });
    await repository.create({
      name: 'chose-primary',
      driver: 'choosy',
      provision_state: 'inspect wait',
      inspect_interface: 'primary',
    });
    await repository.create({
      name: 'chose-secondary',
      driver: 'choosy',
      provision_state: 'inspect wait',
      inspect_interface: 'secondary',
    });
    await repository.create({
      name: 'chose-none',
      driver: 'choosy',
      provision_state: 'inspect wait',
      inspect_interface: 'no-inspect',
    });
    const tasks = collectDriverTasks({ drivers: [choosy], nodes, logger: pino({ level: 'silent' }) });
    const sweeps = tasks.filter((task): task is NodeSweepTask => 'sweep' in task);
    expect(sweeps.map((sweep) => sweep.name).sort()).toEqual(['OtherInspect.poll', 'PollingInspect.poll']);
    const signal = new AbortController().signal;
    for (const sweep of sweeps)
      await sweep.run({ signal, name: sweep.name, scheduledAt: 0, startedAt: 0 } as never);
    expect(primary.visited.sort()).toEqual(['by-default', 'chose-primary']);
    expect(secondary.visited).toEqual(['chose-secondary']);
  });
});
