import { parseDuration } from './duration.js';
import { InvalidDuration, InvalidPeriodicOptions } from './errors.js';
import type { PeriodicOptions, ResolvedPeriodicOptions, SchedulingStrategy } from './types.js';

const STRATEGIES: readonly SchedulingStrategy[] = ['last-started', 'last-finished', 'aligned'];

/**
 * Validates periodic task options and applies the defaults. `where` names the task in error messages
 * (e.g. `method "poll"`). Throws `InvalidPeriodicOptions` naming the bad option and value.
 * Options that are already resolved pass through unchanged, so a hand-built task can be re-checked.
 */
export function resolvePeriodicOptions(options: PeriodicOptions, where: string): ResolvedPeriodicOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidPeriodicOptions(where, undefined, options, 'options must be an object with a spacing');
  }
  const spacing = positiveDuration(options.spacing, 'spacing', where);
  const timeout =
    options.timeout === undefined ? undefined : positiveDuration(options.timeout, 'timeout', where);
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    throw new InvalidPeriodicOptions(where, 'name', name, 'name must be a non-empty string');
  }
  const jitter = options.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new InvalidPeriodicOptions(
      where,
      'jitter',
      jitter,
      'jitter must be a fraction of spacing in [0, 1]',
    );
  }
  const strategy = options.strategy ?? 'last-started';
  if (!STRATEGIES.includes(strategy)) {
    throw new InvalidPeriodicOptions(
      where,
      'strategy',
      strategy,
      `strategy must be one of ${STRATEGIES.map((s) => `"${s}"`).join(', ')}`,
    );
  }
  return {
    spacing,
    name,
    enabled: flag(options.enabled, 'enabled', true, where),
    runImmediately: flag(options.runImmediately, 'runImmediately', false, where),
    parallel: flag(options.parallel, 'parallel', true, where),
    jitter,
    strategy,
    timeout,
  };
}

function positiveDuration(
  value: PeriodicOptions['spacing'] | undefined,
  option: string,
  where: string,
): number {
  if (value === undefined) {
    throw new InvalidPeriodicOptions(where, option, value, `${option} is required`);
  }
  let ms: number;
  try {
    ms = parseDuration(value, option);
  } catch (error) {
    if (!(error instanceof InvalidDuration)) throw error;
    throw new InvalidPeriodicOptions(where, option, value, error.message.replace(/ \(got .*\)$/s, ''), {
      cause: error,
    });
  }
  if (ms <= 0) {
    throw new InvalidPeriodicOptions(where, option, value, `${option} must be greater than 0`);
  }
  return ms;
}

function flag(value: unknown, option: string, fallback: boolean, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidPeriodicOptions(where, option, value, `${option} must be true or false`);
  }
  return value;
}
