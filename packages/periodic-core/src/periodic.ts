import { InvalidPeriodicOptions } from './errors.js';
import { resolvePeriodicOptions } from './options.js';
import type { PeriodicOptions, ResolvedPeriodicOptions, TaskContext } from './types.js';

// Keyed by the method function itself: Node 20 has no `Symbol.metadata`, and a WeakMap leaves the class untouched.
const periodicMethods = new WeakMap<object, ResolvedPeriodicOptions>();

/** A method `@periodic` accepts: called with the run's context (which it may ignore). */
export type PeriodicMethod<This> = (this: This, context: TaskContext) => unknown;

/**
 * A TC39 standard method decorator that marks an instance method as a periodic task.
 * Options are validated when the class is defined; bad ones throw `InvalidPeriodicOptions` naming the method.
 * If other decorators wrap the method, put `@periodic` outermost (first) so it marks the final function.
 *
 * @example
 * class Inspector {
 *   @periodic({ spacing: '60s' })
 *   async syncNodes({ signal }: TaskContext) {}
 * }
 */
export function periodic(options: PeriodicOptions) {
  return function markPeriodic<This, Method extends PeriodicMethod<This>>(
    method: Method,
    context: ClassMethodDecoratorContext<This, Method>,
  ): void {
    const where = describeTarget(context);
    if (typeof context !== 'object' || context === null || context.kind !== 'method') {
      const kind = typeof context === 'object' && context !== null ? context.kind : typeof context;
      throw new InvalidPeriodicOptions(
        where,
        undefined,
        kind,
        '@periodic applies to methods only (as a TC39 standard decorator)',
      );
    }
    if (context.static) {
      throw new InvalidPeriodicOptions(
        where,
        undefined,
        'static',
        '@periodic applies to instance methods only',
      );
    }
    if (context.private) {
      throw new InvalidPeriodicOptions(
        where,
        undefined,
        'private',
        '@periodic cannot mark a #private method',
      );
    }
    if (typeof method !== 'function') {
      throw new InvalidPeriodicOptions(where, undefined, method, '@periodic applies to methods only');
    }
    if (periodicMethods.has(method)) {
      throw new InvalidPeriodicOptions(
        where,
        undefined,
        'decorated twice',
        '@periodic is applied more than once',
      );
    }
    periodicMethods.set(method, resolvePeriodicOptions(options, where));
  };
}

/** The resolved options `@periodic` attached to a method function, or `undefined` if it is not periodic. */
export function periodicOptionsOf(method: unknown): ResolvedPeriodicOptions | undefined {
  return typeof method === 'function' ? periodicMethods.get(method) : undefined;
}

function describeTarget(context: unknown): string {
  if (typeof context === 'object' && context !== null && 'name' in context) {
    const name = (context as { name: unknown }).name;
    const kind = 'kind' in context ? String((context as { kind: unknown }).kind) : 'member';
    return `${kind === 'method' ? 'method' : kind} "${String(name)}"`;
  }
  return 'a decorated member';
}
