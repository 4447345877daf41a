import { ENV_OVERRIDES } from './env-overrides.js';

/**
 * A configuration field as an operator looks for it: `api.port, env IRONIC_API_PORT`, or the field
 * alone when no environment variable sets it.
 */
export function settingName(field: string): string {
  const variable = Object.entries(ENV_OVERRIDES).find(
    ([, override]) => override.path.join('.') === field,
  )?.[0];
  return variable ? `${field}, env ${variable}` : field;
}
