/** The longest pause a BMC may ask for between two looks at a task; anything longer is capped. */
export const MAX_RETRY_AFTER_MS = 300_000;

/**
 * How long a `Retry-After` header asks to wait, in ms: delta-seconds or an HTTP date (relative to
 * `now`). Missing or unreadable: `fallbackMs`. Never negative, never more than five minutes.
 */
export function retryAfterMs(header: string | undefined, now: number, fallbackMs: number): number {
  if (header === undefined || header.trim() === '') return fallbackMs;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return fallbackMs;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
