import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from '../src/cluster/hash-ring.js';

const keys = Array.from(
  { length: 10_000 },
  (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
);

function shares(ring: HashRing, sample: readonly string[]) {
  const counts = new Map<string, number>();
  for (const key of sample) {
    const owner = ring.get(key) as string;
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return counts;
}

describe('HashRing', () => {
  it('maps every key to a member, the same way whatever order members are given in', () => {
    const a = new HashRing(['c1', 'c2', 'c3']);
    const b = new HashRing(['c3', 'c1', 'c2', 'c1']);
    expect(a.members).toEqual(['c1', 'c2', 'c3']);
    for (const key of keys.slice(0, 500)) expect(a.get(key)).toBe(b.get(key));
    expect(new HashRing([]).get('x')).toBeUndefined();
    expect(new HashRing(['only']).get('x')).toBe('only');
  });

  it('spreads keys evenly: each of 3 members within ±15% of an even share', () => {
    for (const [member, count] of shares(new HashRing(['conductor-1', 'conductor-2', 'conductor-3']), keys)) {
      expect(Math.abs(count - keys.length / 3) / (keys.length / 3), member).toBeLessThan(0.15);
    }
  });

  it('moves about 1/N of the keys when a member joins, and only to the new member', () => {
    const before = new HashRing(['conductor-1', 'conductor-2', 'conductor-3']);
    const after = new HashRing(['conductor-1', 'conductor-2', 'conductor-3', 'conductor-4']);
    let moved = 0;
    for (const key of keys) {
      if (before.get(key) !== after.get(key)) {
        moved++;
        expect(after.get(key)).toBe('conductor-4');
      }
    }
    expect(moved / keys.length).toBeGreaterThan(0.15);
    expect(moved / keys.length).toBeLessThan(0.35);
  });

  it('only moves the keys of a member that leaves (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 2, maxLength: 6 }),
        (members) => {
          const full = new HashRing(members, { partitionsPerMember: 64 });
          const gone = members[0] as string;
          const fewer = new HashRing(members.slice(1), { partitionsPerMember: 64 });
          for (let i = 0; i < 200; i++) {
            const key = randomUUID();
            if (full.get(key) !== gone) expect(fewer.get(key)).toBe(full.get(key));
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuses a nonsensical partition count', () => {
    expect(() => new HashRing(['a'], { partitionsPerMember: 0 })).toThrow(/partitionsPerMember/);
  });
});
