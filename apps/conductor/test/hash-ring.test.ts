import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from '../src/cluster/hash-ring.js';
import { binomialSpread, seededUuids } from './support/seeded-keys.js';

const keys = seededUuids(10_000, 'hash-ring');

function counts(ring: HashRing, sample: readonly string[]) {
  const counted = new Map<string, number>(ring.members.map((member) => [member, 0]));
  for (const key of sample) {
    const owner = ring.get(key) as string;
    counted.set(owner, (counted.get(owner) ?? 0) + 1);
  }
  return counted;
}

/** Each member's count over `sample` is its arc share of it, within the binomial spread. */
function expectCountsFollowArcShares(ring: HashRing, sample: readonly string[]) {
  const shares = ring.arcShares();
  for (const [member, count] of counts(ring, sample)) {
    const share = shares.get(member) as number;
    const expected = sample.length * share;
    expect(
      Math.abs(count - expected),
      `${member}: ${count} keys for a share of ${share}`,
    ).toBeLessThanOrEqual(binomialSpread(sample.length, share));
  }
}

/** The 32-bit position of a value on the ring, as the ring's documentation defines it. */
const position = (value: string) => createHash('md5').update(value).digest().readUInt32BE(0);

describe('HashRing', () => {
  it('maps every key to a member, the same way whatever order members are given in', () => {
    const a = new HashRing(['c1', 'c2', 'c3']);
    const b = new HashRing(['c3', 'c1', 'c2', 'c1']);
    expect(a.members).toEqual(['c1', 'c2', 'c3']);
    for (const key of keys.slice(0, 500)) expect(a.get(key)).toBe(b.get(key));
    expect(new HashRing([]).get('x')).toBeUndefined();
    expect(new HashRing(['only']).get('x')).toBe('only');
  });

  it('tells each member’s share of the key space: its arcs, adding up to 1', () => {
    expect(new HashRing([]).arcShares()).toEqual(new Map());
    expect(new HashRing(['only']).arcShares()).toEqual(new Map([['only', 1]]));
    // One point each: "a" owns the arc from "b"'s point up to its own, wrapping past 2^32 if need be.
    const a = position('a#0');
    const b = position('b#0');
    const arcOfA = (a - b + 2 ** 32) % 2 ** 32;
    const two = new HashRing(['a', 'b'], { partitionsPerMember: 1 }).arcShares();
    expect(two.get('a')).toBeCloseTo(arcOfA / 2 ** 32, 12);
    expect(two.get('b')).toBeCloseTo(1 - arcOfA / 2 ** 32, 12);
    const three = new HashRing(['c1', 'c2', 'c3']).arcShares();
    expect([...three.values()].reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
  });

  it('gives each member the keys its arc share predicts', () => {
    expectCountsFollowArcShares(new HashRing(['c1', 'c2', 'c3']), keys);
    expectCountsFollowArcShares(new HashRing(['a', 'b'], { partitionsPerMember: 1 }), keys);
    expectCountsFollowArcShares(
      new HashRing(['conductor-1', 'conductor-2', 'conductor-3', 'conductor-4']),
      keys,
    );
  });

  it('spreads the key space evenly: with 1,024 points each, 3 members hold within ±10 % of a third', () => {
    for (const members of [
      ['c1', 'c2', 'c3'],
      ['conductor-1', 'conductor-2', 'conductor-3'],
    ]) {
      for (const [member, share] of new HashRing(members).arcShares()) {
        expect(Math.abs(share - 1 / 3) / (1 / 3), member).toBeLessThan(0.1);
      }
    }
  });

  it('moves the new member’s share of the keys when it joins, and only to it', () => {
    const before = new HashRing(['conductor-1', 'conductor-2', 'conductor-3']);
    const after = new HashRing(['conductor-1', 'conductor-2', 'conductor-3', 'conductor-4']);
    let moved = 0;
    for (const key of keys) {
      if (before.get(key) !== after.get(key)) {
        moved++;
        expect(after.get(key)).toBe('conductor-4');
      }
    }
    const share = after.arcShares().get('conductor-4') as number;
    expect(Math.abs(moved - keys.length * share)).toBeLessThanOrEqual(binomialSpread(keys.length, share));
  });

  it('only moves the keys of a member that leaves (property)', () => {
    const sample = keys.slice(0, 200);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 2, maxLength: 6 }),
        (members) => {
          const full = new HashRing(members, { partitionsPerMember: 64 });
          const gone = members[0] as string;
          const fewer = new HashRing(members.slice(1), { partitionsPerMember: 64 });
          for (const key of sample) {
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
