import type { JsonObject, JsonValue } from '@ironic/driver-base';
import { ApiError } from './ironic-errors.js';
import { pythonRepr } from './python-repr.js';

/** One RFC 6902 operation, of the kinds Ironic accepts. */
export type PatchOperation =
  | { readonly op: 'add' | 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string };

const OPS = ['add', 'replace', 'remove'];
// Ironic's patch schema: `^(/[\w-]+)+$` (Python's \w: letters, digits, underscore).
const PATH = /^(\/[\w-]+)+$/;

function schemaError(message: string): ApiError {
  return new ApiError('invalid-request', `Schema error for patch: ${message}`);
}

/**
 * Checks a request body is a JSON Patch list as Ironic's patch schema does (a list of `{op, path,
 * value}`), with Ironic's messages. An empty list is a valid patch that changes nothing.
 */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!Array.isArray(body)) throw schemaError(`${pythonRepr(body)} is not of type 'array'`);
  return body.map((raw): PatchOperation => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw schemaError(`${pythonRepr(raw)} is not of type 'object'`);
    }
    const operation = raw as Record<string, unknown>;
    const extra = Object.keys(operation).filter((key) => !['op', 'path', 'value'].includes(key));
    if (extra.length > 0) {
      const names = extra.map((key) => `'${key}'`).join(', ');
      throw schemaError(
        `Additional properties are not allowed (${names} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
      );
    }
    for (const required of ['op', 'path']) {
      if (!(required in operation)) throw schemaError(`'${required}' is a required property`);
    }
    const { op, path, value } = operation;
    if (typeof op !== 'string') throw schemaError(`${pythonRepr(op)} is not of type 'string'`);
    if (!OPS.includes(op)) throw schemaError(`${pythonRepr(op)} is not one of ['add', 'replace', 'remove']`);
    if (typeof path !== 'string') throw schemaError(`${pythonRepr(path)} is not of type 'string'`);
    if (!PATH.test(path)) throw schemaError(`${pythonRepr(path)} does not match '^(/[\\\\w-]+)+$'`);
    if (pointerSegments(path).includes('__proto__')) {
      throw patchError(
        operation,
        'the member name "__proto__" is not allowed: it names the prototype of JavaScript objects',
      );
    }
    if (op === 'remove') return { op, path };
    if (value === undefined) throw patchError(operation, "The operation does not contain a 'value' member");
    return { op: op as 'add' | 'replace', path, value: value as JsonValue };
  });
}

/** Ironic's 400 for an operation that cannot apply (`PatchError`). */
export function patchError(operation: object, reason: string): ApiError {
  return new ApiError(
    'invalid-request',
    `Couldn't apply patch '${pythonRepr(operation)}'. Reason: ${reason}`,
  );
}

/** The segments of a JSON pointer, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Applies operations to a copy of `document` and returns it. Fails as a whole (nothing applied) with
 * Ironic's `PatchError` 400 when a parent is missing, a removed or replaced member does not exist, or an
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
        throw patchError(operation, `member '${segment}' not found in ${pythonRepr(parent)}`);
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
  const fail = (reason: string) => patchError(operation, reason);
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
    if (!exists) throw fail(`can't remove a non-existent object '${key}'`);
    delete parent[key];
  } else if (operation.op === 'replace') {
    if (!exists) throw fail(`can't replace a non-existent object '${key}'`);
    parent[key] = operation.value;
  } else {
    parent[key] = operation.value;
  }
}
