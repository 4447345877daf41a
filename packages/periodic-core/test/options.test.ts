import { describe, expect, it, vi } from 'vitest';
import { InvalidPeriodicOptions, type PeriodicOptions, resolvePeriodicOptions } from '../src/index.js';

describe('resolvePeriodicOptions', () => {
  it('applies the defaults', () => {
    expect(resolvePeriodicOptions({ spacing: '30s' }, 'method "poll"')).toEqual({
      spacing: 30_000,
      name: undefined,
      enabled: true,
      runImmediately: false,
      parallel: true,
      jitter: 0,
      strategy: 'last-started',
      timeout: undefined,
    });
  });

  it('keeps every given option, durations in ms', () => {
    expect(
      resolvePeriodicOptions(
        {
          spacing: 100,
          name: 'x',
          enabled: false,
          runImmediately: true,
          parallel: false,
          jitter: 0.5,
          strategy: 'aligned',
          timeout: '2s',
        },
        'here',
      ),
    ).toEqual({
      spacing: 100,
      name: 'x',
      enabled: false,
      runImmediately: true,
      parallel: false,
      jitter: 0.5,
      strategy: 'aligned',
      timeout: 2_000,
    });
  });

  it('accepts options it resolved before', () => {
    const resolved = resolvePeriodicOptions({ spacing: '1m', timeout: '5s', jitter: 1 }, 'here');
    expect(resolvePeriodicOptions(resolved as PeriodicOptions, 'here')).toEqual(resolved);
  });

  it.each<[string, PeriodicOptions, string]>([
    ['spacing 0', { spacing: 0 }, 'spacing'],
    ['negative spacing', { spacing: -5 }, 'spacing'],
    ['NaN spacing', { spacing: Number.NaN }, 'spacing'],
    ['unparsable spacing', { spacing: 'often' }, 'spacing'],
    ['missing spacing', {} as PeriodicOptions, 'spacing'],
    ['jitter above 1', { spacing: 10, jitter: 1.5 }, 'jitter'],
    ['negative jitter', { spacing: 10, jitter: -0.1 }, 'jitter'],
    ['NaN jitter', { spacing: 10, jitter: Number.NaN }, 'jitter'],
    ['unknown strategy', { spacing: 10, strategy: 'sometimes' as never }, 'strategy'],
    ['zero timeout', { spacing: 10, timeout: 0 }, 'timeout'],
    ['bad timeout', { spacing: 10, timeout: 'later' }, 'timeout'],
    ['empty name', { spacing: 10, name: '' }, 'name'],
    ['non-boolean enabled', { spacing: 10, enabled: 'yes' as never }, 'enabled'],
  ])('rejects %s, naming where, the option and the value', (_label, options, option) => {
    let error: unknown;
    try {
      resolvePeriodicOptions(options, 'method "poll"');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidPeriodicOptions);
    const invalid = error as InvalidPeriodicOptions;
    expect(invalid.code).toBe('ERR_INVALID_PERIODIC_OPTIONS');
    expect(invalid.option).toBe(option);
    expect(invalid.message).toContain('method "poll"');
    expect(invalid.message).toContain(option);
    expect(invalid.message).toContain(
      `(got ${typeof options[option as keyof PeriodicOptions] === 'string' ? JSON.stringify(options[option as keyof PeriodicOptions]) : String(options[option as keyof PeriodicOptions])})`,
    );
  });

  it('rejects options that are not an object', () => {
    expect(() => resolvePeriodicOptions(null as never, 'here')).toThrow(InvalidPeriodicOptions);
  });

  it('passes resolved options through as the same object, and re-resolves any that are not quite', () => {
    const resolved = resolvePeriodicOptions({ spacing: '30s', name: 'poll' }, 'here');
    expect(resolvePeriodicOptions(resolved, 'here')).toBe(resolved);
    // Resolved in shape but with a duration still a string, or an option missing: resolved afresh.
    const stringy = { ...resolved, timeout: '5s' } as never;
    expect(resolvePeriodicOptions(stringy, 'here')).toEqual({ ...resolved, timeout: 5_000 });
    const { parallel: _parallel, ...partial } = resolved;
    expect(resolvePeriodicOptions(partial as never, 'here')).toEqual(resolved);
    // A bad value in otherwise resolved options is still caught.
    expect(() => resolvePeriodicOptions({ ...resolved, jitter: 2 }, 'here')).toThrow(InvalidPeriodicOptions);
  });

  it('names the task with a function only when there is an error to report', () => {
    const where = vi.fn(() => 'task "poll"');
    resolvePeriodicOptions({ spacing: 10 }, where);
    expect(where).not.toHaveBeenCalled();
    expect(() => resolvePeriodicOptions({ spacing: -1 }, where)).toThrow(/task "poll"/);
    expect(where).toHaveBeenCalledTimes(1);
  });
});
