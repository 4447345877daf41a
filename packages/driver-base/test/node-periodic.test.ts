import { describe, expect, it } from 'vitest';
import { collectNodePeriodicTasks, defineNodePeriodic, nodePeriodic } from '../src/node-periodic.js';
import type { Task } from '../src/task.js';

describe('nodePeriodic decorator', () => {
  it('collects decorated methods, inherited first, bound to the instance, with instance-computed options', async () => {
    class BaseInspect {
      readonly seen: string[] = [];
      @nodePeriodic({ spacing: '30s', filters: { provision_state: 'inspect wait' } })
      async poll(task: Task) {
        this.seen.push(`poll:${task.node.uuid}`);
      }
    }
    class Inspect extends BaseInspect {
      constructor(readonly options: { period: number; max: number }) {
        super();
      }
      @nodePeriodic<Inspect>({
        spacing: (self) => self.options.period,
        limit: (self) => self.options.max,
        predicate: (node, self) => node.extra.cpus !== self.options.max,
        concurrency: 4,
        shared: false,
      })
      async timeouts() {}
      notPeriodic() {}
    }
    const found = collectNodePeriodicTasks(new Inspect({ period: 60_000, max: 10 }));
    expect(found.map((d) => d.name)).toEqual(['BaseInspect.poll', 'Inspect.timeouts']);
    const [poll, timeouts] = found;
    expect(poll?.filters).toEqual({ provision_state: 'inspect wait' });
    expect(poll?.shared).toBe(true);
    expect(poll?.concurrency).toBe(1);
    expect(timeouts?.periodic.spacing).toBe(60_000);
    expect(timeouts?.limit).toBe(10);
    expect(timeouts?.concurrency).toBe(4);
    expect(timeouts?.shared).toBe(false);
    expect(timeouts?.predicate?.({ extra: { cpus: 10 } } as never)).toBe(false);
    expect(timeouts?.predicate?.({ extra: { cpus: 2 } } as never)).toBe(true);
    const instance = new Inspect({ period: 1, max: 1 });
    const [bound] = collectNodePeriodicTasks(instance);
    await bound?.handler({ node: { uuid: 'u1' } } as Task, {} as never);
    expect(instance.seen).toEqual(['poll:u1']);
  });

  it('gives an empty list for an object without per-node tasks', () => {
    expect(collectNodePeriodicTasks({})).toEqual([]);
    expect(collectNodePeriodicTasks(new (class Plain {})())).toEqual([]);
  });

  it('rejects bad options at decoration time, naming the method and the value', () => {
    expect(() => {
      class Bad {
        @nodePeriodic({ spacing: -5 })
        poll() {}
      }
      return Bad;
    }).toThrow(/poll.*-5|-5.*poll/s);
    expect(() => {
      class Bad {
        @nodePeriodic({ spacing: '1m', filters: { provision_state: 'inspecting-ish' as never } })
        poll() {}
      }
      return Bad;
    }).toThrow(/poll.*inspecting-ish/);
    expect(() => {
      class Bad {
        @nodePeriodic({ spacing: '1m', concurrency: 0 })
        poll() {}
      }
      return Bad;
    }).toThrow(/poll.*concurrency.*0/);
  });

  it('rejects instance-computed options that resolve to bad values when collected', () => {
    class Lazy {
      @nodePeriodic<Lazy>({ spacing: () => 'soon' })
      poll() {}
    }
    expect(() => collectNodePeriodicTasks(new Lazy())).toThrow(/Lazy\.poll.*soon/);
  });
});

describe('nodePeriodic overrides', () => {
  it('uses the most-derived definition: an undecorated override is not periodic, a decorated one is named after its class', () => {
    class Base {
      @nodePeriodic({ spacing: '1m' })
      a() {}
      @nodePeriodic({ spacing: '1m' })
      b() {}
      get broken(): never {
        throw new Error('getters must not be invoked while collecting');
      }
    }
    class Derived extends Base {
      override a() {}
      @nodePeriodic({ spacing: '2m' })
      override b() {}
    }
    const found = collectNodePeriodicTasks(new Derived());
    expect(found.map((d) => [d.name, d.periodic.spacing])).toEqual([['Derived.b', '2m']]);
  });
});

describe('defineNodePeriodic', () => {
  it('defines a per-node task of no interface, with the same options and checks as the decorator', () => {
    const handled: string[] = [];
    const definition = defineNodePeriodic(
      (task) => {
        handled.push(task.node.uuid);
      },
      {
        name: 'conductor.syncPowerStates',
        spacing: '1m',
        filters: { maintenance: false },
        predicate: (node) => node.target_power_state === null,
        concurrency: 8,
      },
    );
    expect(definition).toMatchObject({
      name: 'conductor.syncPowerStates',
      filters: { maintenance: false },
      shared: true,
      concurrency: 8,
      limit: undefined,
    });
    expect(definition.periodic).toMatchObject({ name: 'conductor.syncPowerStates', spacing: '1m' });
    expect(definition.predicate?.({ target_power_state: 'power on' } as never)).toBe(false);
    definition.handler({ node: { uuid: 'n-1' } } as never, {} as never);
    expect(handled).toEqual(['n-1']);
  });

  it('refuses bad options, naming the task', () => {
    const handler = () => {};
    expect(() => defineNodePeriodic(handler, { name: '', spacing: '1m' })).toThrow(/name must be/);
    expect(() => defineNodePeriodic(handler, { name: 'sync', spacing: 0 })).toThrow(/sync/);
    expect(() => defineNodePeriodic(handler, { name: 'sync', spacing: '1m', concurrency: 0 })).toThrow(
      'nodePeriodic "sync": concurrency must be an integer >= 1, got 0',
    );
    expect(() =>
      defineNodePeriodic(handler, {
        name: 'sync',
        spacing: '1m',
        filters: { provision_state: 'nowhere' as never },
      }),
    ).toThrow('nodePeriodic "sync": unknown provision_state filter "nowhere"');
  });
});
