import { ApiError } from './ironic-errors.js';
import { unstorableReason } from './json-body.js';

/**
 * Refuses path parameters or query arguments the database cannot store (a `%00`, a lone surrogate),
 * with Ironic's 400 naming the argument.
 */
export function checkUrlValues(values: unknown, where: 'path' | 'query'): void {
  if (typeof values !== 'object' || values === null) return;
  for (const [name, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') continue;
      const reason = unstorableReason(item);
      if (reason) {
        const what = where === 'path' ? `URL path segment "${name}"` : `query argument "${name}"`;
        throw new ApiError('invalid-request', `Invalid ${what}: it ${reason}`);
      }
    }
  }
}
