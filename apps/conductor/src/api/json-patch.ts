import type { JsonObject, JsonValue } from '@ironic/driver-base';
import { ApiError } from './ironic-errors.js';

/** One RFC 6902 operation, of the kinds Ironic accepts. */
export type PatchOperation =
  | { readonly op: 'add' | 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string };

const OPS = new Set(['add', 'replace', 'remove']);

/** Checks a request body is a JSON Patch list Ironic would take; a 400 names the bad operation. */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new ApiError('invalid-request', 'The request body must be a non-empty JSON Patch list (RFC 6902)');
  }
  return body.map((raw, index): PatchOperation => {
    const where = `patch[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ApiError('invalid-request', `${where} must be an object with "op" and "path"`);
    }
    const { op, path, value } = raw as { op?: unknown; path?: unknown; value?: unknown };
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw new ApiError(
        'invalid-request',
        `${where}.op must be one of add, replace, remove (got ${JSON.stringify(op)})`,
      );
    }
    if (typeof path !== 'string' || !/^(\/[^/]+)+$/.test(path)) {
      throw new ApiError(
        'invalid-request',
        `${where}.path must be a JSON pointer such as "/extra/foo" (got ${JSON.stringify(path)})`,
      );
    }
    if (op === 'remove') return { op, path };
    if (value === undefined)
      throw new ApiError('invalid-request', `${where}.value is required for "${op}" of ${path}`);
    return { op: op as 'add' | 'replace', path, value: value as JsonValue };
  });
}

/** The segments of a JSON pointer, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Applies operations to a copy of `document` and returns it. Fails as a whole (nothing applied) with a
 * 400 naming the path when a parent is missing, a removed or replaced member does not exist, or an
 * array index is out of range.
 */
export function applyPatch(document: JsonObject, operations: readonly PatchOperation[]): JsonObject {
  const result = structuredClone(document);
  for (const operation of operations) {
    const segments = pointerSegments(operation.path);
    const last = segments.pop()!;
    let parent: JsonValue = result;
    for (const segment of segments) {
      const next: JsonValue | undefined = child(parent, segment);
      if (next === undefined || next === null || typeof next !== 'object') {
        throw new ApiError(
          'invalid-request',
          `Cannot apply "${operation.op}" to ${operation.path}: ${segment} does not exist or is not a dictionary`,
        );
      }
      parent = next;
    }
    applyAt(parent, last, operation);
  }
  return result;
}

function child(parent: JsonValue, segment: string): JsonValue | undefined {
  if (Array.isArray(parent)) {
    const index = arrayIndex(segment, parent.length - 1);
    return index === undefined ? undefined : parent[index];
  }
  if (typeof parent === 'object' && parent !== null && Object.hasOwn(parent, segment)) return parent[segment];
  return undefined;
}

function arrayIndex(segment: string, max: number): number | undefined {
  if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
  const index = Number(segment);
  return index <= max ? index : undefined;
}

function applyAt(parent: JsonValue, key: string, operation: PatchOperation): void {
  const fail = (reason: string) =>
    new ApiError('invalid-request', `Cannot apply "${operation.op}" to ${operation.path}: ${reason}`);
  if (Array.isArray(parent)) {
    if (operation.op === 'add') {
      const index = key === '-' ? parent.length : arrayIndex(key, parent.length);
      if (index === undefined) throw fail('index out of range');
      parent.splice(index, 0, operation.value);
      return;
    }
    const index = arrayIndex(key, parent.length - 1);
    if (index === undefined) throw fail('index out of range');
    if (operation.op === 'remove') parent.splice(index, 1);
    else parent[index] = operation.value;
    return;
  }
  if (typeof parent !== 'object' || parent === null) throw fail('the parent is not a dictionary');
  const exists = Object.hasOwn(parent, key);
  if (operation.op === 'remove') {
    if (!exists) throw fail(`can't remove non-existent object '${key}'`);
    delete parent[key];
  } else if (operation.op === 'replace') {
    if (!exists) throw fail(`can't replace non-existent object '${key}'`);
    parent[key] = operation.value;
  } else {
    parent[key] = operation.value;
  }
}
