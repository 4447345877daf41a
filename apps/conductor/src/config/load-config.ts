import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { applyEnvOverrides } from './env-overrides.js';

export { ENV_OVERRIDES } from './env-overrides.js';

import { type ConductorConfig, type ConductorConfigInput, configSchema } from './schema.js';

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /** The JSON file; default `IRONIC_CONDUCTOR_CONFIG`, else no file (defaults and environment only). */
  path?: string;
  /** The environment to read overrides from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the configuration: a JSON file, then environment overrides, validated as a whole. Rejects with
 * `ConfigError` naming the file and every bad field (and the variable, for a field set from the environment).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ConductorConfig> {
  const env = options.env ?? process.env;
  const path = options.path ?? env.IRONIC_CONDUCTOR_CONFIG;
  const source = path ? resolve(path) : 'defaults';
  const raw = path ? await readJsonFile(source) : {};
  return parseConfig(raw, { source, env });
}

/** Validates an already-read configuration object, with environment overrides applied on top. */
export function parseConfig(
  raw: unknown,
  options: { source?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): ConductorConfig {
  const source = options.source ?? 'configuration';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'the configuration must be a JSON object' }]);
  }
  const { value, fromEnv } = applyEnvOverrides(raw as Record<string, unknown>, options.env ?? {});
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    result.error.issues.map((issue) => describeIssue(issue, fromEnv)),
  );
}

/** Builds a configuration in code (tests, embedding): defaults applied, validated like a file. */
export function defineConfig(input: ConductorConfigInput): ConductorConfig {
  return parseConfig(input, { source: 'defineConfig()' });
}

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      file,
      [{ path: '', message: `cannot read the file (${(error as Error).message})` }],
      {
        cause: error,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `not valid JSON (${(error as Error).message})` }], {
      cause: error,
    });
  }
}

function describeIssue(issue: z.core.$ZodIssue, fromEnv: Map<string, string>): ConfigIssue {
  const path = issue.path.map(String).join('.');
  const variable = fromEnv.get(path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.join(', ')}`;
  return { path, message: variable ? `${message} (set by ${variable})` : message };
}
