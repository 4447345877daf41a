import type { z } from 'zod';
import { configDocs, type FieldDoc } from './field-docs.js';

/** One section or field of the configuration, with its documentation. */
export interface ConfigEntry {
  /** Its path, e.g. `['api', 'tls', 'cert_file']`. */
  readonly path: readonly string[];
  /** Its schema as declared (with its default or optional wrapper). */
  readonly schema: z.ZodType;
  readonly doc: FieldDoc;
  /** A section holds fields (an object of its own); a field holds a value. */
  readonly kind: 'section' | 'field';
}

/** A field with no documentation: the reference could not say what it does. */
export class UndocumentedConfigField extends Error {
  override readonly name = 'UndocumentedConfigField';
  readonly code = 'CONFIG_FIELD_UNDOCUMENTED';
  constructor(readonly path: string) {
    super(
      `Configuration field ${path} has no documentation: wrap it in documented(...) in src/config/schema.ts`,
    );
  }
}

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema under its default, prefault and optional wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (!['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type) || !def.innerType)
      return current;
    current = def.innerType;
  }
}

/**
 * Every section and field of an object schema, depth first in declaration order. Throws
 * `UndocumentedConfigField` for one without `documented(...)`.
 */
export function configEntries(schema: z.ZodType, prefix: readonly string[] = []): ConfigEntry[] {
  const shape = defOf(unwrap(schema)).shape ?? {};
  const entries: ConfigEntry[] = [];
  for (const [key, child] of Object.entries(shape)) {
    const path = [...prefix, key];
    const doc = configDocs.get(child);
    if (!doc) throw new UndocumentedConfigField(path.join('.'));
    const isSection = defOf(unwrap(child)).type === 'object';
    entries.push({ path, schema: child, doc, kind: isSection ? 'section' : 'field' });
    if (isSection) entries.push(...configEntries(child, path));
  }
  return entries;
}
