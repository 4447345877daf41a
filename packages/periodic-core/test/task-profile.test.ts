import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { resolvePeriodicOptions } from '../src/index.js';
import { TaskProfiles } from '../src/task-profile.js';
import { TaskTimes } from '../src/task-times.js';

const resolve = (options: Parameters<typeof resolvePeriodicOptions>[0]) =>
  resolvePeriodicOptions(options, 'a test task');

describe('TaskProfiles', () => {
  it('gives tasks with the same options one profile, whatever their names and however they alternate', () => {
    const profiles = new TaskProfiles(pino({ level: 'silent' }), new TaskTimes());
    const a = profiles.of(resolve({ name: 'a', spacing: 100 }));
    const b = profiles.of(resolve({ name: 'b', spacing: '100ms' }));
    const other = profiles.of(resolve({ name: 'c', spacing: 100, jitter: 0.5 }));
    const again = profiles.of(resolve({ name: 'd', spacing: 100 }));
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect(again).toBe(a);
  });

  it('tells apart options that differ in any one field', () => {
    const profiles = new TaskProfiles(pino({ level: 'silent' }), new TaskTimes());
    const base = { spacing: 100 } as const;
    const variants = [
      base,
      { ...base, spacing: 101 },
      { ...base, enabled: false },
      { ...base, runImmediately: true },
      { ...base, parallel: false },
      { ...base, jitter: 0.1 },
      { ...base, strategy: 'aligned' as const },
      { ...base, timeout: 50 },
    ];
    const made = variants.map((options) => profiles.of(resolve(options)));
    expect(new Set(made).size).toBe(variants.length);
    made.forEach((profile, i) => {
      const { name: _name, ...options } = resolve(variants[i]!);
      expect(profile).toMatchObject(options);
      // Asked again out of order (not the last one handed out): the same profile.
      expect(profiles.of(resolve(variants[i]!))).toBe(profile);
    });
  });
});
