import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/ironic-errors.js';
import { applyPatch, parsePatch } from '../../src/api/json-patch.js';

describe('JSON Patch (RFC 6902 add/replace/remove)', () => {
  const doc = { extra: { 'a/b': 1, 'c~d': 2, list: [1, 2, 3], nested: { x: 1 } }, name: 'n' };

  it('applies escaped pointers, array positions and nested members without touching the input', () => {
    const result = applyPatch(
      doc,
      parsePatch([
        { op: 'replace', path: '/extra/a~1b', value: 10 },
        { op: 'remove', path: '/extra/c~0d' },
        { op: 'add', path: '/extra/list/-', value: 4 },
        { op: 'add', path: '/extra/list/0', value: 0 },
        { op: 'remove', path: '/extra/list/2' },
        { op: 'add', path: '/extra/nested/y', value: { z: true } },
      ]),
    );
    expect(result).toEqual({
      extra: { 'a/b': 10, list: [0, 1, 3, 4], nested: { x: 1, y: { z: true } } },
      name: 'n',
    });
    expect(doc.extra.list).toEqual([1, 2, 3]);
  });

  it('fails as a whole, naming the path', () => {
    const cases = [
      [{ op: 'remove', path: '/extra/missing' }, '/extra/missing'],
      [{ op: 'replace', path: '/extra/missing', value: 1 }, '/extra/missing'],
      [{ op: 'add', path: '/extra/none/deeper', value: 1 }, '/extra/none/deeper'],
      [{ op: 'remove', path: '/extra/list/9' }, '/extra/list/9'],
      [{ op: 'add', path: '/extra/list/x', value: 1 }, '/extra/list/x'],
    ] as const;
    for (const [operation, path] of cases) {
      expect(() => applyPatch(doc, parsePatch([operation])), path).toThrow(ApiError);
      expect(() => applyPatch(doc, parsePatch([operation]))).toThrow(path);
    }
  });

  it('refuses malformed operations with 400 naming the operation', () => {
    for (const [body, expected] of [
      [[], 'non-empty'],
      [[{ op: 'copy', path: '/a', from: '/b' }], 'patch[0].op'],
      [[{ op: 'add', path: 'extra' }], 'patch[0].path'],
      [
        [
          { op: 'remove', path: '/extra/a' },
          { op: 'add', path: '/extra/b' },
        ],
        'patch[1].value',
      ],
      [{ op: 'add', path: '/a', value: 1 }, 'list'],
    ] as const) {
      const attempt = () => parsePatch(body);
      expect(attempt).toThrow(expected);
      expect(attempt).toThrow(expect.objectContaining({ statusCode: 400 }));
    }
  });
});
