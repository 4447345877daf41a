import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { ConductorConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { HtpasswdFileInvalid } from './auth/htpasswd-file.js';
import { HttpBasicAuth } from './auth/http-basic-auth.js';
import { readTlsFiles, type TlsFiles } from './tls-files.js';

/** What `api.auth_strategy` and `api.tls` ask for, ready for `buildApi`. */
export interface ApiSecurity {
  readonly auth: HttpBasicAuth | undefined;
  readonly tls: TlsFiles | undefined;
}

/**
 * Reads the htpasswd file (for `http_basic`) and the TLS certificate and key, so that a start with a
 * missing or bad one fails at once with `ConfigError` naming the field, as Ironic's does.
 */
export async function prepareApiSecurity(
  api: ConductorConfig['api'],
  source = 'configuration',
): Promise<ApiSecurity> {
  const tls = await readTlsFiles(api.tls, source);
  if (api.auth_strategy !== 'http_basic') return { auth: undefined, tls };
  try {
    return { auth: await HttpBasicAuth.open(api.http_basic_auth_user_file), tls };
  } catch (error) {
    if (!(error instanceof HtpasswdFileInvalid)) throw error;
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    throw new ConfigError(
      source,
      [{ path: 'api.http_basic_auth_user_file', message: `${error.message}${cause}` }],
      { cause: error },
    );
  }
}

/** Whether an address only the machine itself can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Says at start what protects the API, and warns when nothing does beyond loopback. */
export function logApiSecurity(api: ConductorConfig['api'], logger: Logger): void {
  const scheme = api.tls.cert_file ? 'https' : 'http';
  if (api.auth_strategy === 'http_basic') {
    logger.info(
      { auth_strategy: api.auth_strategy, user_file: api.http_basic_auth_user_file, scheme },
      'API authentication: HTTP Basic',
    );
    return;
  }
  if (!isLoopback(api.host)) {
    logger.warn(
      { auth_strategy: api.auth_strategy, host: api.host, scheme },
      `the API listens on ${api.host} without authentication (api.auth_strategy "noauth"): anyone who reaches it can change nodes. Set api.auth_strategy to "http_basic", or listen on 127.0.0.1`,
    );
  }
}
