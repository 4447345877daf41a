import { z } from 'zod';
import { type ConfigEntry, configEntries, unwrap } from './config-fields.js';
import { configSchema } from './schema.js';

/** The command that regenerates CONFIGURATION.md; the reference names it and its test tells it. */
export const REGENERATE_COMMAND = 'pnpm --filter @ironic/conductor config:reference';

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  default?: unknown;
};

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function bounds(schema: JsonSchema): string {
  // zod's integers carry the safe-integer range as bounds: they say nothing to a reader.
  const json = {
    ...schema,
    minimum: schema.minimum === Number.MIN_SAFE_INTEGER ? undefined : schema.minimum,
    maximum: schema.maximum === Number.MAX_SAFE_INTEGER ? undefined : schema.maximum,
  };
  const low =
    json.exclusiveMinimum !== undefined
      ? `> ${json.exclusiveMinimum}`
      : json.minimum !== undefined
        ? `≥ ${json.minimum}`
        : '';
  if (json.minimum !== undefined && json.maximum !== undefined) return ` ${json.minimum}–${json.maximum}`;
  const high = json.maximum !== undefined ? `≤ ${json.maximum}` : '';
  return [low, high]
    .filter(Boolean)
    .map((text) => ` ${text}`)
    .join(',');
}

function typeText(entry: ConfigEntry): string {
  if (entry.doc.typeText) return entry.doc.typeText;
  const json = jsonSchemaOf(unwrap(entry.schema));
  if (json.enum) return `one of ${json.enum.map((value) => `\`${String(value)}\``).join(', ')}`;
  switch (json.type) {
    case 'integer':
    case 'number':
      return `${json.type}${bounds(json)}`;
    case 'array':
      return `list of ${json.items?.type ?? 'value'}s`;
    case 'object':
      return 'object';
    default:
      return json.type ?? 'any';
  }
}

function defaultText(entry: ConfigEntry): string {
  if (entry.doc.defaultText) return entry.doc.defaultText;
  const json = jsonSchemaOf(entry.schema);
  return json.default === undefined ? 'none' : `\`${JSON.stringify(json.default)}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function sectionTable(section: ConfigEntry, fields: readonly ConfigEntry[]): string[] {
  const lines = [`## \`${section.path.join('.')}\``, '', section.doc.description, ''];
  if (fields.length === 0) return lines;
  lines.push(
    '| field | type | default | environment | what it does |',
    '| ----- | ---- | ------- | ----------- | ------------ |',
  );
  for (const field of fields) {
    lines.push(
      `| \`${field.path.join('.')}\` | ${cell(typeText(field))} | ${cell(defaultText(field))} | ${
        field.doc.env ? `\`${field.doc.env}\`` : ''
      } | ${cell(field.doc.description)} |`,
    );
  }
  lines.push('');
  return lines;
}

/**
 * The configuration reference (CONFIGURATION.md) as Markdown, generated from the schema's docs: every
 * section and field with its type, default, environment variable and what it does.
 */
export function renderConfigReference(): string {
  const entries = configEntries(configSchema);
  const sections = entries.filter((entry) => entry.kind === 'section');
  const fieldsOf = (section: ConfigEntry) =>
    entries.filter(
      (entry) =>
        entry.kind === 'field' &&
        entry.path.length === section.path.length + 1 &&
        section.path.every((key, index) => entry.path[index] === key),
    );
  const withEnv = entries.filter((entry) => entry.doc.env !== undefined);
  const lines = [
    `<!-- Generated from src/config/schema.ts by \`${REGENERATE_COMMAND}\`: edit the schema, not this file. -->`,
    '',
    '# Configuration reference',
    '',
    '`ironic-conductor` reads one JSON file, named by `--config <file>` (or `IRONIC_CONDUCTOR_CONFIG`), and',
    'validates it as a whole at start: an error names the file and every bad field, and the environment',
    'variable behind it if any, and the conductor exits 1. Every field has a default, so `{}` (or no file at',
    'all) is a valid configuration. Environment variables override the file. Durations are in seconds, like',
    "Ironic's options.",
    '',
    '```json',
    JSON.stringify(
      {
        api: { host: '0.0.0.0', port: 6385, auth_strategy: 'http_basic' },
        database: { url: 'postgres://ironic:secret@db.example:5432/ironic' },
        drivers: {
          enabled: ['@ironic/driver-drac', '@ironic/driver-ipa'],
          options: { ipa: { deploy_callback_timeout: 1800 } },
        },
      },
      null,
      2,
    ),
    '```',
    '',
    '## Environment variables',
    '',
    '| variable | field |',
    '| -------- | ----- |',
    '| `IRONIC_CONDUCTOR_CONFIG` | the configuration file, when `--config` is not given |',
    ...withEnv.map((entry) => `| \`${entry.doc.env}\` | \`${entry.path.join('.')}\` |`),
    '',
    ...sections.flatMap((section) => sectionTable(section, fieldsOf(section))),
    '## Driver options',
    '',
    "`drivers.options.<driver name>` is checked by the driver's own schema; a bad value stops the start with a",
    'message naming the driver and the field. The drivers of this repository list theirs:',
    '[discoverd](../../packages/driver-discoverd/README.md#options),',
    '[drac](../../packages/driver-drac/README.md#options),',
    '[ipa](../../packages/driver-ipa/README.md#options).',
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
