import { describe, expect, it } from 'vitest';
import { InvalidDuration, parseDuration } from '../src/index.js';

describe('parseDuration', () => {
  it.each([
    [250, 250],
    [0, 0],
    [1.5, 1.5],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    [' 10 s ', 10_000],
  ])('reads %j as %d ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    [Number.NaN, /NaN/],
    [-1, /negative/],
    [Number.POSITIVE_INFINITY, /finite/],
    ['', /unit/],
    ['30', /unit/],
    ['5 minutes', /unit/],
    ['-5s', /unit/],
    ['1d', /unit/],
  ])('rejects %j', (input, reason) => {
    expect(() => parseDuration(input, 'spacing')).toThrow(InvalidDuration);
    expect(() => parseDuration(input, 'spacing')).toThrow(reason);
  });

  it('names what the duration was for and the bad value', () => {
    const error = (() => {
      try {
        parseDuration('soon', 'spacing');
      } catch (caught) {
        return caught as InvalidDuration;
      }
    })();
    expect(error).toBeInstanceOf(InvalidDuration);
    expect(error?.code).toBe('ERR_INVALID_DURATION');
    expect(error?.name).toBe('InvalidDuration');
    expect(error?.message).toContain('spacing');
    expect(error?.message).toContain('"soon"');
  });

  it('rejects values that are neither numbers nor strings', () => {
    expect(() => parseDuration({} as never)).toThrow(InvalidDuration);
  });
});
