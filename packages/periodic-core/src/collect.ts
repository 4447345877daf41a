import { periodicOptionsOf } from './periodic.js';
import type { PeriodicTask, TaskContext } from './types.js';

/**
 * The periodic tasks of an object: every `@periodic` method along its prototype chain, bound to it.
 * Order is stable: base class first, declaration order within a class. A method overridden in a subclass
 * appears once, as its most-derived definition (and is periodic only if that definition is decorated).
 * The default name is `<class that defines the method>.<method>`. An object with none gives `[]`.
 */
export function collectPeriodicTasks(instance: object): PeriodicTask[] {
  if ((typeof instance !== 'object' && typeof instance !== 'function') || instance === null) {
    throw new TypeError(
      `collectPeriodicTasks expects an object, got ${instance === null ? 'null' : typeof instance}`,
    );
  }
  const chain: object[] = [];
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; ) {
    chain.push(proto);
    proto = Object.getPrototypeOf(proto);
  }
  // Base first fixes the order; the most-derived definition of each key wins.
  const order: PropertyKey[] = [];
  const definitions = new Map<PropertyKey, { proto: object; method: unknown }>();
  for (let i = chain.length - 1; i >= 0; i--) {
    const proto = chain[i]!;
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      const method = descriptor && 'value' in descriptor ? descriptor.value : undefined;
      if (!definitions.has(key)) order.push(key);
      definitions.set(key, { proto, method });
    }
  }
  const tasks: PeriodicTask[] = [];
  for (const key of order) {
    const { proto, method } = definitions.get(key)!;
    const options = periodicOptionsOf(method);
    if (!options) continue;
    const fn = method as (this: object, context: TaskContext) => unknown;
    const name = options.name ?? `${className(proto)}.${keyName(key)}`;
    tasks.push({ name, options: { ...options, name }, run: (context) => fn.call(instance, context) });
  }
  return tasks;
}

function className(proto: object): string {
  const ctor = Object.hasOwn(proto, 'constructor')
    ? (proto as { constructor: unknown }).constructor
    : undefined;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'anonymous';
}

function keyName(key: PropertyKey): string {
  return typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key);
}
