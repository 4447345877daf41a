import { InspectorApiError, UncaughtInspectorError } from './api-error.js';

/** Oldest inspector API version the simulator serves (ironic-inspector's `MINIMUM_API_VERSION`). */
export const MIN_API_VERSION = '1.0';
/** Newest inspector API version the simulator serves (ironic-inspector's `CURRENT_API_VERSION`). */
export const MAX_API_VERSION = '1.18';

/** Response header carrying {@link MIN_API_VERSION}; inspector sends it on every response. */
export const MIN_VERSION_HEADER = 'X-OpenStack-Ironic-Inspector-API-Minimum-Version';
/** Response header carrying {@link MAX_API_VERSION}; inspector sends it on every response. */
export const MAX_VERSION_HEADER = 'X-OpenStack-Ironic-Inspector-API-Maximum-Version';
/** Request header with the API version a client asks for (`X.Y` or `latest`; absent means the newest). */
export const VERSION_HEADER = 'X-OpenStack-Ironic-Inspector-API-Version';

function parse(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return [major, minor];
}

function compare(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Checks a requested API version as inspector does: malformed → Flask's HTML 500, outside the served range → 406. */
export function checkRequestedVersion(requested: string | undefined): void {
  if (requested === undefined || requested.toLowerCase() === 'latest') return;
  const parts = requested.split('.');
  if (parts.some((part) => !/^\s*[+-]?\d+\s*$/.test(part))) {
    // inspector 11.1 means a 400 here, but its check then compares that error response with a version
    // tuple, and the TypeError becomes Flask's HTML 500.
    throw new UncaughtInspectorError('Malformed API version: expected string in form of X.Y or latest');
  }
  const numbers = parts.map((part) => Number.parseInt(part, 10));
  if (compare(numbers, parse(MIN_API_VERSION)) < 0 || compare(numbers, parse(MAX_API_VERSION)) > 0) {
    throw new InspectorApiError(
      406,
      `Unsupported API version ${numbers[0] ?? 0}.${numbers[1] ?? 0}, supported range is ${MIN_API_VERSION} to ${MAX_API_VERSION}`,
    );
  }
}
