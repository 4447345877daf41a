import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ringPoint } from '../src/ring-ranges.js';

const md5Point = (key: string) => createHash('md5').update(key).digest().readUInt32BE(0);

describe('ringPoint', () => {
  it('is the first 32 bits, big-endian, of the MD5 of the key as UTF-8', () => {
    // md5("abc") = 900150983cd24fb0…, md5("") = d41d8cd98f00b204…, md5("nœud-é") = 454c7b49…
    expect(ringPoint('abc')).toBe(0x90015098);
    expect(ringPoint('')).toBe(0xd41d8cd9);
    expect(ringPoint('nœud-é')).toBe(0x454c7b49);
    expect(ringPoint('4b1d6a52-7d35-4ac7-9d44-b1c38a0f0000')).toBe(0x02ae214d);
  });

  it('gives every key its own point, asked again soon or long after', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `node-${i}`);
    for (const key of keys) expect(ringPoint(key)).toBe(md5Point(key));
    // Asked again: recent keys, keys from many thousands ago, and the very first.
    for (const key of [...keys].reverse()) expect(ringPoint(key)).toBe(md5Point(key));
  });
});
