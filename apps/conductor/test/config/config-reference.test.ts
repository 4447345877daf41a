import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configEntries, UndocumentedConfigField } from '../../src/config/config-fields.js';
import { ENV_OVERRIDES } from '../../src/config/env-overrides.js';
import { documented } from '../../src/config/field-docs.js';
import { parseConfig } from '../../src/config/load-config.js';
import { REGENERATE_COMMAND, renderConfigReference } from '../../src/config/reference.js';
import { configSchema } from '../../src/config/schema.js';

const REFERENCE = new URL('../../CONFIGURATION.md', import.meta.url);

describe('the configuration reference', () => {
  it(`is current (after a schema change, run: ${REGENERATE_COMMAND})`, async () => {
    const committed = await readFile(REFERENCE, 'utf8').catch(() => '(missing)');
    // One message for the whole file: a diff of the tables says less than the command that fixes it.
    expect(
      committed === renderConfigReference(),
      `CONFIGURATION.md is out of date: run ${REGENERATE_COMMAND}`,
    ).toBe(true);
  });

  it('documents every field, with its default and its environment variable', () => {
    const reference = renderConfigReference();
    const fields = configEntries(configSchema).filter((entry) => entry.kind === 'field');
    expect(fields.length).toBeGreaterThan(20);
    for (const field of fields) {
      const row = reference.split('\n').find((line) => line.startsWith(`| \`${field.path.join('.')}\` |`));
      expect(row, field.path.join('.')).toBeDefined();
      if (field.doc.env) expect(row).toContain(`\`${field.doc.env}\``);
    }
    expect(reference).toContain('| `api.port` | integer 0–65535 | `6385` | `IRONIC_API_PORT` |');
    expect(reference).toContain("| `conductor.host` | string | the machine's hostname |");
  });

  it('refuses a field added without documentation, naming it', () => {
    const schema = z.object({
      api: documented(
        z.object({ port: documented(z.number().default(1), { description: 'p' }), extra: z.string() }),
        {
          description: 'a',
        },
      ),
    });
    expect(() => configEntries(schema)).toThrow(UndocumentedConfigField);
    expect(() => configEntries(schema)).toThrow(/api\.extra/);
  });
});

describe('environment overrides', () => {
  it('come from the schema, at any depth, and are typed by their field', () => {
    expect(ENV_OVERRIDES.IRONIC_API_PORT).toEqual({ path: ['api', 'port'], type: 'number' });
    expect(ENV_OVERRIDES.IRONIC_TLS_CERT_FILE).toEqual({ path: ['api', 'tls', 'cert_file'], type: 'string' });
    const config = parseConfig(
      { api: { port: 7000, tls: { key_file: '/etc/k.pem' } } },
      {
        env: {
          IRONIC_TLS_CERT_FILE: '/etc/c.pem',
          IRONIC_AUTH_STRATEGY: 'http_basic',
          IRONIC_HTTP_BASIC_AUTH_USER_FILE: '/etc/ironic/users',
        },
      },
    );
    expect(config.api).toEqual({
      host: '127.0.0.1',
      port: 7000,
      auth_strategy: 'http_basic',
      http_basic_auth_user_file: '/etc/ironic/users',
      tls: { cert_file: '/etc/c.pem', key_file: '/etc/k.pem' },
    });
  });

  it('name the variable behind a bad nested value', () => {
    expect(() => parseConfig({}, { env: { IRONIC_AUTH_STRATEGY: 'keystone' } })).toThrow(
      /api\.auth_strategy: .*\(set by IRONIC_AUTH_STRATEGY\)/,
    );
  });
});
