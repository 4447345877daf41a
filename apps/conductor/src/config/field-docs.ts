import { z } from 'zod';

/** What the configuration reference says about one section or field of the configuration. */
export interface FieldDoc {
  /** What it does, in a sentence or two (Markdown). */
  readonly description: string;
  /** The environment variable that overrides it, if any. */
  readonly env?: string;
  /** The default, in words, when it is computed at start (e.g. the machine's hostname). */
  readonly defaultText?: string;
  /** The value's kind, in words, when the schema alone would say too little (e.g. "seconds > 0"). */
  readonly typeText?: string;
}

/** The documentation of every section and field of the configuration schema. */
export const configDocs = z.registry<FieldDoc>();

/**
 * Documents a configuration section or field: the reference (CONFIGURATION.md) is generated from these,
 * and an environment variable named here overrides the field. Returns the schema itself.
 */
export function documented<T extends z.ZodType>(schema: T, doc: FieldDoc): T {
  configDocs.add(schema, doc);
  return schema;
}
