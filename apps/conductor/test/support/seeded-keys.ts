import { createHash } from 'node:crypto';

/**
 * `count` UUIDs that look random (version 4 layout) but are the same on every run: each is the SHA-256
 * of `seed` and its index. Statistical checks over them give the same answer every time.
 */
export function seededUuids(count: number, seed = 'ironic-periodic'): string[] {
  return Array.from({ length: count }, (_, index) => {
    const bytes = createHash('sha256').update(`${seed}:${index}`).digest().subarray(0, 16);
    bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

/**
 * How far the number of `keys` falling on a share `share` of a uniform hash space may stray from
 * `keys × share`: five standard deviations of the binomial count, which a correct hash passes with
 * odds of about one in a million, so a failure means a wrong ring rather than bad luck.
 */
export function binomialSpread(keys: number, share: number): number {
  return 5 * Math.sqrt(keys * share * (1 - share));
}
