import { describe, expect, it } from 'vitest';
import { ringPoint } from '../src/ring-ranges.js';

describe('ringPoint', () => {
  it('is the first 32 bits, big-endian, of the MD5 of the key as UTF-8', () => {
    // md5("abc") = 900150983cd24fb0…, md5("") = d41d8cd98f00b204…, md5("nœud-é") = 454c7b49…
    expect(ringPoint('abc')).toBe(0x90015098);
    expect(ringPoint('')).toBe(0xd41d8cd9);
    expect(ringPoint('nœud-é')).toBe(0x454c7b49);
    expect(ringPoint('4b1d6a52-7d35-4ac7-9d44-b1c38a0f0000')).toBe(0x02ae214d);
  });
});
