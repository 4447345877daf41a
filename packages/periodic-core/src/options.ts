import { parseDuration } from './duration.js';
import { InvalidDuration, InvalidPeriodicOptions } from './errors.js';
import type { PeriodicOptions, ResolvedPeriodicOptions, SchedulingStrategy } from './types.js';

const STRATEGIES: readonly SchedulingStrategy[] = ['last-started', 'last-finished', 'aligned'];

/** Names a task in error messages; a function is called only when there is an error to report. */
export type OptionsSite = string | (() => string);

/**
 * Validates periodic task options and applies the defaults. `where` names the task in error messages
 * (e.g. `method "poll"`). Throws `InvalidPeriodicOptions` naming the bad option and value.
 * Options that are already resolved pass through unchanged — the same object, so that adding 100,000
 * tasks made by `definePeriodicTask` makes no second copy of each one's options.
 */
export function resolvePeriodicOptions(
  options: PeriodicOptions,
  where: OptionsSite,
): ResolvedPeriodicOptions {
  if (isResolved(options)) return options;
  return resolveAfresh(options, typeof where === 'string' ? () => where : where);
}

function resolveAfresh(options: PeriodicOptions, where: () => string): ResolvedPeriodicOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidPeriodicOptions(where(), undefined, options, 'options must be an object with a spacing');
  }
  const spacing = positiveDuration(options.spacing, 'spacing', where);
  const timeout =
    options.timeout === undefined ? undefined : positiveDuration(options.timeout, 'timeout', where);
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    throw new InvalidPeriodicOptions(where(), 'name', name, 'name must be a non-empty string');
  }
  const jitter = options.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new InvalidPeriodicOptions(
      where(),
      'jitter',
      jitter,
      'jitter must be a fraction of spacing in [0, 1]',
    );
  }
  const strategy = options.strategy ?? 'last-started';
  if (!STRATEGIES.includes(strategy)) {
    throw new InvalidPeriodicOptions(
      where(),
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
  where: () => string,
): number {
  if (value === undefined) {
    throw new InvalidPeriodicOptions(where(), option, value, `${option} is required`);
  }
  let ms: number;
  try {
    ms = parseDuration(value, option);
  } catch (error) {
    if (!(error instanceof InvalidDuration)) throw error;
    throw new InvalidPeriodicOptions(where(), option, value, error.message.replace(/ \(got .*\)$/s, ''), {
      cause: error,
    });
  }
  if (ms <= 0) {
    throw new InvalidPeriodicOptions(where(), option, value, `${option} must be greater than 0`);
  }
  return ms;
}

function flag(value: unknown, option: string, fallback: boolean, where: () => string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidPeriodicOptions(where(), option, value, `${option} must be true or false`);
  }
  return value;
}

/** Whether `options` already has every option, each valid and in resolved form (durations in ms). */
function isResolved(options: PeriodicOptions): options is ResolvedPeriodicOptions {
  if (typeof options !== 'object' || options === null) return false;
  const { spacing, timeout, name, jitter, strategy, enabled, runImmediately, parallel } = options as Partial<
    Record<keyof ResolvedPeriodicOptions, unknown>
  >;
  return (
    isPositiveMs(spacing) &&
    (timeout === undefined || isPositiveMs(timeout)) &&
    (name === undefined || (typeof name === 'string' && name.trim() !== '')) &&
    typeof jitter === 'number' &&
    jitter >= 0 &&
    jitter <= 1 &&
    STRATEGIES.includes(strategy as SchedulingStrategy) &&
    typeof enabled === 'boolean' &&
    typeof runImmediately === 'boolean' &&
    typeof parallel === 'boolean'
  );
}

function isPositiveMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
