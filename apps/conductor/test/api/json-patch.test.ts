import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/ironic-errors.js';
import { applyPatch, parsePatch } from '../../src/api/json-patch.js';

describe('JSON Patch (RFC 6902 add/replace/remove)', () => {
  const doc = { extra: { 'a/b': 1, list: [1, 2, 3], nested: { x: 1 } }, name: 'n' };

  it('applies array positions and nested members without touching the input', () => {
    const result = applyPatch(
      doc,
      parsePatch([
        { op: 'add', path: '/extra/list/-', value: 4 },
        { op: 'add', path: '/extra/list/0', value: 0 },
        { op: 'remove', path: '/extra/list/2' },
        { op: 'add', path: '/extra/nested/y', value: { z: true } },
        { op: 'replace', path: '/name', value: 'm' },
      ]),
    );
    expect(result).toEqual({
      extra: { 'a/b': 1, list: [0, 1, 3, 4], nested: { x: 1, y: { z: true } } },
      name: 'm',
    });
    expect(doc.extra.list).toEqual([1, 2, 3]);
    // An empty patch is valid and changes nothing, as in Ironic.
    expect(applyPatch(doc, parsePatch([]))).toEqual(doc);
  });

  it("fails as a whole with Ironic's PatchError", () => {
    const cases = [
      [{ op: 'remove', path: '/extra/missing' }, "Reason: can't remove a non-existent object 'missing'"],
      [{ op: 'replace', path: '/extra/missing', value: 1 }, "can't replace a non-existent object 'missing'"],
      [{ op: 'add', path: '/extra/none/deeper', value: 1 }, "member 'none' not found"],
      [{ op: 'remove', path: '/extra/list/9' }, 'index out of range'],
      [{ op: 'add', path: '/extra/list/x', value: 1 }, 'index out of range'],
    ] as const;
    for (const [operation, reason] of cases) {
      expect(() => applyPatch(doc, parsePatch([operation])), reason).toThrow(ApiError);
      expect(() => applyPatch(doc, parsePatch([operation]))).toThrow(reason);
    }
    expect(() => applyPatch(doc, parsePatch([{ op: 'remove', path: '/extra/missing' }]))).toThrow(
      "Couldn't apply patch '{'op': 'remove', 'path': '/extra/missing'}'.",
    );
  });

  it("refuses malformed operations in the words of Ironic's patch schema", () => {
    for (const [body, expected] of [
      [
        { op: 'add', path: '/a', value: 1 },
        "Schema error for patch: {'op': 'add', 'path': '/a', 'value': 1} is not of type 'array'",
      ],
      [
        [{ op: 'copy', path: '/a', from: '/b' }],
        "Additional properties are not allowed ('from' was unexpected)",
      ],
      [[{ op: 'copy', path: '/a' }], "'copy' is not one of ['add', 'replace', 'remove']"],
      [[{ op: 'add', path: 'extra', value: 1 }], "'extra' does not match '^(/[\\\\w-]+)+$'"],
      [[{ path: '/a' }], "'op' is a required property"],
      [[{ op: 'add', path: '/extra/b' }], "The operation does not contain a 'value' member"],
    ] as const) {
      const attempt = () => parsePatch(body);
      expect(attempt, expected).toThrow(expected);
      expect(attempt).toThrow(expect.objectContaining({ statusCode: 400 }));
    }
  });
});
