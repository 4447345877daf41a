import type { DriverPackage } from '@ironic/driver-base';

/** The interfaces whose operations Ironic's `[fake]` options can slow down. */
export const DELAYED_INTERFACES = [
  'bios',
  'deploy',
  'inspect',
  'management',
  'power',
  'raid',
  'rescue',
  'vendor',
] as const;
/** One of them. */
export type DelayedInterface = (typeof DELAYED_INTERFACES)[number];

/** A delay range in seconds: each operation waits between `min` and `max` (weighted towards `min`). */
export interface DelayRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The driver's options, as written: Ironic's `[fake] <interface>_delay`, each a number of seconds or a
 * `"min:max"` range (e.g. `{ "deploy_delay": "2:5" }`). Unset means no delay.
 */
export type FakeOptionsInput = Partial<Record<`${DelayedInterface}_delay`, number | string>>;

/** The options as validated: a delay range per interface. */
export interface FakeOptions {
  readonly delays: Readonly<Record<DelayedInterface, DelayRange>>;
}

const NO_DELAY: DelayRange = Object.freeze({ min: 0, max: 0 });

/** Parses Ironic's sleep range (`"3"`, `"1:5"`, or a number); undefined when malformed. */
export function parseDelay(value: number | string): DelayRange | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? { min: value, max: value } : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?::\s*(\d+(?:\.\d+)?)\s*)?$/.exec(value);
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return max >= min ? { min, max } : undefined;
}

type Issue = { message: string; path?: readonly PropertyKey[] };

function validate(raw: unknown): { value: FakeOptions } | { issues: readonly Issue[] } {
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { issues: [{ message: 'the fake-hardware options must be an object' }] };
  }
  const known = new Set(DELAYED_INTERFACES.map((kind) => `${kind}_delay`));
  const issues: Issue[] = [];
  const delays = {} as Record<DelayedInterface, DelayRange>;
  for (const key of Object.keys(input)) {
    if (!known.has(key))
      issues.push({ path: [key], message: `unknown option; expected one of ${[...known].join(', ')}` });
  }
  for (const kind of DELAYED_INTERFACES) {
    const key = `${kind}_delay`;
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) {
      delays[kind] = NO_DELAY;
      continue;
    }
    const range = typeof value === 'number' || typeof value === 'string' ? parseDelay(value) : undefined;
    if (!range) {
      issues.push({
        path: [key],
        message: `must be seconds ("3") or a range "min:max" with min <= max, got ${JSON.stringify(value)}`,
      });
    } else {
      delays[kind] = range;
    }
  }
  return issues.length > 0 ? { issues } : { value: { delays } };
}

/** The options schema (a Standard Schema): Ironic's `[fake]` delays, checked field by field. */
export const fakeOptionsSchema: DriverPackage<FakeOptions>['optionsSchema'] = {
  '~standard': { version: 1, vendor: 'ironic-driver-fake', validate },
};
