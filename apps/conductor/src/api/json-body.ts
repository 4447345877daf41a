import { ApiError } from './ironic-errors.js';

/**
 * How deeply a request body's arrays and objects may nest. Ironic's documents (`extra`, `properties`,
 * `instance_info`, a JSON Patch value) are a few levels deep; the bound keeps every later walk over a
 * body (validation, storage, JSON output) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 64;

/** Keys that would reach an object's prototype if a body were ever merged into a plain object. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/**
 * Parses a JSON request body the database can store: at most {@link MAX_JSON_DEPTH} levels deep, no
 * `__proto__` key, and no string (value or key) holding a NUL character or a lone UTF-16 surrogate,
 * which PostgreSQL cannot store. Throws Ironic's 400 naming the field otherwise.
 */
export function parseJsonBody(text: string): unknown {
  // Checked on the text, before parsing: JSON.parse itself would overflow the stack on deep enough input.
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new ApiError(
      'invalid-request',
      `The request body nests arrays and objects ${depth} levels deep; at most ${MAX_JSON_DEPTH} are allowed`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError('invalid-request', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  checkStorable(value, []);
  return value;
}

/** The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return 'contains a NUL character (\\u0000)';
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `contains a lone UTF-16 surrogate (\\u${code.toString(16)})`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `contains a lone UTF-16 surrogate (\\u${code.toString(16)})`;
  }
  return undefined;
}

/** A field's path for messages: `extra.a`, `[0].value`, or `body` for the whole. */
export function fieldPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'body';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

function checkStorable(value: unknown, path: (string | number)[]): void {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    if (reason)
      throw new ApiError('invalid-request', `Invalid value of field "${fieldPath(path)}": it ${reason}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkStorable(item, [...path, index]);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ApiError(
        'invalid-request',
        `The key "${key}" (in "${fieldPath(path)}") is not allowed: it names the prototype of JavaScript objects`,
      );
    }
    const reason = unstorableReason(key);
    if (reason) {
      throw new ApiError(
        'invalid-request',
        `Invalid key ${JSON.stringify(key)} in "${fieldPath(path)}": it ${reason}`,
      );
    }
    checkStorable(item, [...path, key]);
  }
}
