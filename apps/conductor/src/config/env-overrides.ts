import { configEntries, unwrap } from './config-fields.js';
import { configSchema } from './schema.js';

/** The kind of value an environment variable carries, read from its field's schema. */
export type EnvValueType = 'string' | 'number' | 'boolean';

/** A field an environment variable overrides. */
export interface EnvOverride {
  /** The field's path, e.g. `['api', 'port']`. */
  readonly path: readonly string[];
  readonly type: EnvValueType;
}

function valueType(schema: Parameters<typeof unwrap>[0]): EnvValueType {
  const type = (unwrap(schema) as unknown as { _zod: { def: { type: string } } })._zod.def.type;
  return type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
}

/** Environment variables that override a configuration field (from the schema's docs), by name. */
export const ENV_OVERRIDES: Readonly<Record<string, EnvOverride>> = Object.fromEntries(
  configEntries(configSchema)
    .filter((entry) => entry.kind === 'field' && entry.doc.env !== undefined)
    .map((entry) => [entry.doc.env!, { path: entry.path, type: valueType(entry.schema) }]),
);

/**
 * A copy of `raw` with each set environment variable's value at its field, and which variable set which
 * field (dotted path). A value that does not read as its type stays a string, so the schema reports it
 * against the field.
 */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): { value: Record<string, unknown>; fromEnv: Map<string, string> } {
  const value: Record<string, unknown> = { ...raw };
  const fromEnv = new Map<string, string>();
  for (const [variable, override] of Object.entries(ENV_OVERRIDES)) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    setAt(value, override.path, parse(text, override.type));
    fromEnv.set(override.path.join('.'), variable);
  }
  return { value, fromEnv };
}

function parse(text: string, type: EnvValueType): unknown {
  if (type === 'number' && /^\s*-?\d+(\.\d+)?\s*$/.test(text)) return Number(text);
  if (type === 'boolean' && /^(true|1|yes)$/i.test(text.trim())) return true;
  if (type === 'boolean' && /^(false|0|no)$/i.test(text.trim())) return false;
  return text;
}

/** Sets `path` in `target`, copying each object on the way so the caller's input is left alone. */
function setAt(target: Record<string, unknown>, path: readonly string[], leaf: unknown): void {
  let node = target;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      node[key] = leaf;
      return;
    }
    const current = node[key];
    const copy =
      typeof current === 'object' && current !== null && !Array.isArray(current)
        ? { ...(current as Record<string, unknown>) }
        : {};
    node[key] = copy;
    node = copy;
  }
}
