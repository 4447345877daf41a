import { describe, expect, it } from 'vitest';
import {
  collectPeriodicTasks,
  definePeriodicTask,
  InvalidPeriodicOptions,
  periodic,
  periodicOptionsOf,
  type TaskContext,
} from '../src/index.js';

function context(name = 't'): TaskContext {
  return { signal: new AbortController().signal, name, scheduledAt: 0, logger: undefined as never };
}

describe('@periodic', () => {
  it('marks a method with its resolved options and leaves it callable', () => {
    class Poller {
      calls = 0;
      @periodic({ spacing: '30s', jitter: 0.1 })
      poll() {
        this.calls++;
        return 'polled';
      }
    }
    const poller = new Poller();
    expect(poller.poll()).toBe('polled');
    expect(periodicOptionsOf(Poller.prototype.poll)).toMatchObject({ spacing: 30_000, jitter: 0.1 });
    expect(periodicOptionsOf(() => {})).toBeUndefined();
  });

  it('throws at class definition for invalid options, naming the method and the value', () => {
    expect(() => {
      class Broken {
        @periodic({ spacing: -5 })
        syncNodes() {}
      }
      return Broken;
    }).toThrow(/method "syncNodes".*spacing.*-5/);
    expect(() => {
      class Broken {
        @periodic({ spacing: '10s', jitter: 2 })
        syncNodes() {}
      }
      return Broken;
    }).toThrow(InvalidPeriodicOptions);
  });

  it('throws when applied to something that is not an instance method', () => {
    const decorate = periodic({ spacing: 10 }) as unknown as (value: unknown, context: unknown) => void;
    expect(() =>
      decorate(undefined, { kind: 'field', name: 'interval', static: false, private: false }),
    ).toThrow(/field "interval".*methods only/);
    expect(() => decorate(() => {}, { kind: 'getter', name: 'g', static: false, private: false })).toThrow(
      InvalidPeriodicOptions,
    );
    expect(() => decorate(() => {}, undefined)).toThrow(InvalidPeriodicOptions);
    expect(() => {
      class WithStatic {
        @periodic({ spacing: 10 })
        static tick() {}
      }
      return WithStatic;
    }).toThrow(/static/);
  });

  it('rejects being applied twice to one method', () => {
    expect(() => {
      class Twice {
        @periodic({ spacing: 10 })
        @periodic({ spacing: 20 })
        tick() {}
      }
      return Twice;
    }).toThrow(/more than once/);
  });
});

describe('collectPeriodicTasks', () => {
  class Base {
    seen: string[] = [];
    @periodic({ spacing: 100 })
    first() {
      this.seen.push('Base.first');
    }
    notPeriodic() {}
    @periodic({ spacing: 200 })
    second() {
      this.seen.push('Base.second');
    }
    @periodic({ spacing: 300 })
    third() {
      this.seen.push('Base.third');
    }
  }
  class Derived extends Base {
    @periodic({ spacing: 50, name: 'custom' })
    override second() {
      this.seen.push('Derived.second');
    }
    override third() {
      this.seen.push('Derived.third (not periodic)');
    }
    @periodic({ spacing: '1s' })
    own(ctx: TaskContext) {
      this.seen.push(`Derived.own:${ctx.name}`);
    }
  }

  it('finds inherited tasks, base first, declaration order, most-derived definition once', () => {
    const tasks = collectPeriodicTasks(new Derived());
    expect(tasks.map((task) => task.name)).toEqual(['Base.first', 'custom', 'Derived.own']);
    expect(tasks.map((task) => task.options.spacing)).toEqual([100, 50, 1_000]);
    expect(tasks.every((task) => task.options.name === task.name)).toBe(true);
  });

  it('binds each task to the instance', () => {
    const instance = new Derived();
    for (const task of collectPeriodicTasks(instance)) task.run(context(task.name));
    expect(instance.seen).toEqual(['Base.first', 'Derived.second', 'Derived.own:Derived.own']);
  });

  it('gives the base class its own tasks', () => {
    expect(collectPeriodicTasks(new Base()).map((task) => task.name)).toEqual([
      'Base.first',
      'Base.second',
      'Base.third',
    ]);
  });

  it('ignores an instance property that shadows the method (e.g. a bound copy)', () => {
    const instance = new Base();
    instance.first = instance.first.bind(instance);
    expect(collectPeriodicTasks(instance)).toHaveLength(3);
  });

  it('gives an empty list for an object without periodic methods', () => {
    expect(collectPeriodicTasks({})).toEqual([]);
    expect(collectPeriodicTasks(Object.create(null))).toEqual([]);
    class Plain {
      method() {}
    }
    expect(collectPeriodicTasks(new Plain())).toEqual([]);
  });

  it('rejects something that is not an object', () => {
    expect(() => collectPeriodicTasks(null as never)).toThrow(TypeError);
  });
});

describe('definePeriodicTask', () => {
  it('names a task after its function, or options.name', () => {
    function cleanup() {}
    expect(definePeriodicTask(cleanup, { spacing: '1m' })).toMatchObject({
      name: 'cleanup',
      options: { spacing: 60_000, name: 'cleanup' },
      run: cleanup,
    });
    expect(definePeriodicTask(cleanup, { spacing: 1, name: 'other' }).name).toBe('other');
  });

  it('needs a name for an anonymous function', () => {
    expect(() => definePeriodicTask((() => () => {})(), { spacing: 10 })).toThrow(
      /anonymous function needs options.name/,
    );
  });

  it('rejects bad options naming the function', () => {
    function heartbeat() {}
    expect(() => definePeriodicTask(heartbeat, { spacing: 'never' })).toThrow(
      /function "heartbeat".*"never"/,
    );
    expect(() => definePeriodicTask('nope' as never, { spacing: 10 })).toThrow(InvalidPeriodicOptions);
  });
});
