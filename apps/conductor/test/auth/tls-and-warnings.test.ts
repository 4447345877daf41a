import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/api/api-security.js';
import { createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';
import type { ConductorConfigInput } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { embeddedTestDatabase } from '../support/test-databases.js';

const CERT = new URL('../fixtures/tls/localhost.crt', import.meta.url).pathname;
const KEY = new URL('../fixtures/tls/localhost.key', import.meta.url).pathname;

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function startListening(api: ConductorConfigInput['api'], logger = pino({ level: 'silent' })) {
  const conductor = await createConductor(
    defineConfig({
      drivers: { enabled: ['@ironic/driver-fake'] },
      database: await embeddedTestDatabase(),
      api,
    }),
    { logger },
  );
  const { address } = await conductor.start();
  return { conductor, address: address! };
}

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('api.tls', () => {
  it('serves the API over HTTPS with the configured certificate', async () => {
    const { conductor, address } = await startListening({
      host: '127.0.0.1',
      port: 0,
      tls: { cert_file: CERT, key_file: KEY },
    });
    try {
      expect(address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await httpsGet(`${address}/v1`, await readFile(CERT));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).links[0].href).toBe(`${address}/v1/`);
      // Plain HTTP to the TLS port gets no API answer.
      await expect(fetch(`${address.replace('https:', 'http:')}/v1`)).rejects.toThrow();
    } finally {
      await conductor.stop({ timeout: 1000 });
    }
  });

  it('refuses a start with a missing certificate or a key that is not PEM, naming the field', async () => {
    const missing = createConductor(
      defineConfig({
        drivers: { enabled: ['@ironic/driver-fake'] },
        database: { data_dir: 'memory://' },
        api: { tls: { cert_file: '/nonexistent.crt', key_file: KEY } },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    await expect(missing).rejects.toMatchObject({
      issues: [{ path: 'api.tls.cert_file', message: expect.stringContaining('/nonexistent.crt') }],
    });
    const swapped = createConductor(
      defineConfig({
        drivers: { enabled: ['@ironic/driver-fake'] },
        database: { data_dir: 'memory://' },
        api: { tls: { cert_file: KEY, key_file: CERT } },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    await expect(swapped).rejects.toMatchObject({ issues: [{ path: 'api.tls' }] });
  });

  it('needs both files, or neither', () => {
    expect(() =>
      defineConfig({
        drivers: { enabled: ['@ironic/driver-fake'] },
        api: { tls: { cert_file: CERT } },
      }),
    ).toThrow(/api\.tls\.key_file: api\.tls\.cert_file and api\.tls\.key_file go together/);
  });
});

describe('the noauth warning', () => {
  const warnings = (lines: { level: number; msg: string }[]) =>
    lines.filter((line) => line.level === 40 && line.msg.includes('without authentication'));

  it('warns at start when the API listens beyond loopback without authentication', async () => {
    const { logger, lines } = capturingLogger();
    const { conductor } = await startListening({ host: '0.0.0.0', port: 0 }, logger);
    await conductor.stop({ timeout: 1000 });
    expect(warnings(lines)).toHaveLength(1);
    expect(warnings(lines)[0]?.msg).toContain('api.auth_strategy');
  });

  it('says nothing on loopback', async () => {
    const { logger, lines } = capturingLogger();
    const { conductor } = await startListening({ host: '127.0.0.1', port: 0 }, logger);
    await conductor.stop({ timeout: 1000 });
    expect(warnings(lines)).toHaveLength(0);
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'conductor.example'])
      expect(isLoopback(host), host).toBe(false);
  });
});
