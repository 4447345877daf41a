import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../errors.js';

/** The API's certificate and key, read from `api.tls`. */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

async function readPem(source: string, field: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(
      source,
      [{ path: field, message: `cannot read ${path} (${(error as Error).message})` }],
      {
        cause: error,
      },
    );
  }
}

/**
 * Reads `api.tls.cert_file` and `key_file` and checks that they make a TLS context (PEM, a key that
 * matches the certificate); undefined when TLS is off. Rejects with `ConfigError` naming the field.
 */
export async function readTlsFiles(
  tls: { readonly cert_file?: string | undefined; readonly key_file?: string | undefined },
  source = 'configuration',
): Promise<TlsFiles | undefined> {
  if (tls.cert_file === undefined || tls.key_file === undefined) return undefined;
  const cert = await readPem(source, 'api.tls.cert_file', tls.cert_file);
  const key = await readPem(source, 'api.tls.key_file', tls.key_file);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigError(
      source,
      [
        {
          path: 'api.tls',
          message: `${tls.cert_file} and ${tls.key_file} are not a usable PEM certificate and key (${(error as Error).message})`,
        },
      ],
      { cause: error },
    );
  }
  return { cert, key };
}
