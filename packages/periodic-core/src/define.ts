import { InvalidPeriodicOptions } from './errors.js';
import { resolvePeriodicOptions } from './options.js';
import type { PeriodicOptions, PeriodicTask, TaskFunction } from './types.js';

/**
 * A periodic task from a plain function (sync or async). Its name is `options.name`, else the function's
 * own name; an anonymous function needs `options.name`. Throws `InvalidPeriodicOptions` on bad options.
 */
export function definePeriodicTask(fn: TaskFunction, options: PeriodicOptions): PeriodicTask {
  // Error messages only: made when one is thrown, not once per task.
  const label = () =>
    typeof fn === 'function' && fn.name ? `function "${fn.name}"` : 'an anonymous function';
  if (typeof fn !== 'function') {
    throw new InvalidPeriodicOptions(label(), undefined, fn, 'definePeriodicTask needs a function to run');
  }
  const resolved = resolvePeriodicOptions(options, () =>
    options?.name ? `task "${options.name}"` : label(),
  );
  const name = resolved.name ?? fn.name;
  if (!name) {
    throw new InvalidPeriodicOptions(label(), 'name', undefined, 'an anonymous function needs options.name');
  }
  // Named in the options (the usual case), the resolved options are the task's as they are.
  const named = resolved.name === name ? (resolved as PeriodicTask['options']) : { ...resolved, name };
  return { name, options: named, run: fn };
}
