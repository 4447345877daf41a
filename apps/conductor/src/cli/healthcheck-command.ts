import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConductorConfig } from '../config/schema.js';
import type { CommandOutput } from './db-commands.js';

/** The address to reach the API at from this machine: a wildcard listen is reached on loopback. */
function localHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

/**
 * `ironic-conductor healthcheck`: `GET /healthz` of the conductor this configuration describes (over
 * HTTPS when `api.tls` is set, without checking the certificate: it is this machine's own), for a
 * container's HEALTHCHECK or a supervisor. 0 when it answers 200 within `timeoutMs`, else 1.
 */
export async function healthcheck(
  config: ConductorConfig,
  err: CommandOutput,
  timeoutMs = 5000,
): Promise<number> {
  const tls = config.api.tls.cert_file !== undefined;
  const host = localHost(config.api.host);
  const url = new URL(
    `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.api.port}/healthz`,
  );
  const outcome = await new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
    const send = tls ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
  if (outcome.status === 200) return 0;
  err.write(
    `ironic-conductor healthcheck: ${url.href}: ${outcome.error ?? `${outcome.status} ${outcome.body?.slice(0, 200) ?? ''}`}\n`,
  );
  return 1;
}
