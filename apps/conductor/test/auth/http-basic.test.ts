import { appendFile, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Conductor, createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { embeddedTestDatabase } from '../support/test-databases.js';

// Cost 4 keeps the tests quick; the cost is read from each hash, so the code path is the same.
const hash = (password: string, prefix = '$2y$') => `${prefix}${bcrypt.hashSync(password, 4).slice(4)}`;
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('api.auth_strategy http_basic', () => {
  let dir: string;
  let userFile: string;
  let conductor: Conductor;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-auth-'));
    userFile = join(dir, 'htpasswd');
    await writeFile(
      userFile,
      `admin:${hash('s3cret')}\n\na line without a colon is ignored\nops:${hash('ops-pw', '$2b$')}\n`,
    );
    conductor = await createConductor(
      defineConfig({
        drivers: { enabled: ['@ironic/driver-fake'] },
        database: await embeddedTestDatabase(),
        api: { auth_strategy: 'http_basic', http_basic_auth_user_file: userFile },
        log: { level: 'silent' },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    await conductor.start({ listen: false });
  });
  afterAll(async () => {
    await conductor?.stop({ timeout: 1000 });
    await rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, authorization?: string) =>
    conductor.api.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  it("refuses a request without credentials with ironic-lib's 401 and WWW-Authenticate", async () => {
    const response = await get('/v1/nodes');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Baremetal API"');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: { message: 'Authorization required', code: 401 } });
    // As Ironic's middleware, it answers before the API negotiates a version.
    expect(response.headers['x-openstack-ironic-api-version']).toBeUndefined();
  });

  it('serves a user whose bcrypt password matches ($2y$ and $2b$ hashes)', async () => {
    const admin = await get('/v1/nodes', basic('admin', 's3cret'));
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toEqual({ nodes: [] });
    expect(admin.headers['x-openstack-ironic-api-version']).toBe('1.1');
    expect((await get('/v1/nodes', basic('ops', 'ops-pw'))).statusCode).toBe(200);
    // Again: the second request is answered from the verified credentials, with the same outcome.
    expect((await get('/v1/nodes', basic('admin', 's3cret'))).statusCode).toBe(200);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const authorization of [basic('admin', 'wrong'), basic('nobody', 's3cret'), basic('admin', '')]) {
      const response = await get('/v1/nodes', authorization);
      expect(response.statusCode, authorization).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="Baremetal API"');
      expect(response.json()).toEqual({ error: { message: 'Incorrect username or password', code: 401 } });
    }
  });

  it('answers 400 to a malformed Authorization header, with the messages ironic-lib sends', async () => {
    const cases: [string, string][] = [
      ['Basic', 'Could not parse Authorization header'],
      ['Bearer abc', 'Unsupported authorization type "Bearer"'],
      ['Basic not*base64', 'Could not decode authorization token'],
      ['Basic YWJj', 'Could not decode authorization token'], // "abc": no colon
      ['Basic YWJjZA', 'Could not decode authorization token'], // bad padding
    ];
    for (const [authorization, message] of cases) {
      const response = await get('/v1/nodes', authorization);
      expect(response.statusCode, authorization).toBe(400);
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.json()).toEqual({ error: { message, code: 400 } });
    }
  });

  it("leaves Ironic's public routes open: the version documents, the ramdisk's, and /healthz", async () => {
    for (const url of ['/', '/v1', '/v1/', '/healthz']) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
    // The ramdisk endpoints answer for themselves (here: no such node), not with 401.
    const lookup = await get('/v1/lookup?node_uuid=9b8e2a3c-1d4f-4e5a-8b6c-7d8e9f0a1b2c');
    expect(lookup.statusCode).toBe(404);
    const heartbeat = await conductor.api.inject({
      method: 'POST',
      url: '/v1/heartbeat/9b8e2a3c-1d4f-4e5a-8b6c-7d8e9f0a1b2c',
      // The version IPA sends with a heartbeat (agent_version and agent_token exist from 1.36 and 1.62).
      headers: { 'X-OpenStack-Ironic-API-Version': '1.68' },
      payload: { callback_url: 'http://127.0.0.1:9999', agent_version: '9.0.0', agent_token: 'x' },
    });
    expect(heartbeat.statusCode).toBe(404);
    // Everything else asks: the rest of the API, the metrics, a heartbeat to a name Ironic's pattern excludes.
    for (const url of [
      '/v1/drivers',
      '/v1/periodic-tasks',
      '/metrics',
      '/v1/conductors',
      '/v1/nodes/detail',
    ]) {
      expect((await get(url)).statusCode, url).toBe(401);
    }
    const upper = await conductor.api.inject({ method: 'POST', url: '/v1/heartbeat/NODE-1', payload: {} });
    expect(upper.statusCode).toBe(401);
  });

  it('takes a user added to the file without a restart', async () => {
    expect((await get('/v1/nodes', basic('late', 'pw'))).statusCode).toBe(401);
    await appendFile(userFile, `late:${hash('pw')}\n`);
    expect((await get('/v1/nodes', basic('late', 'pw'))).statusCode).toBe(200);
  });

  it("answers 500 with ironic-lib's message when the file goes away, and recovers when it is back", async () => {
    const saved = `admin:${hash('s3cret')}\n`;
    await unlink(userFile);
    const response = await get('/v1/nodes', basic('admin', 's3cret'));
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { message: 'Invalid configuration file. Problem reading auth user file', code: 500 },
    });
    expect(response.body).not.toContain(dir);
    await writeFile(userFile, saved);
    expect((await get('/v1/nodes', basic('admin', 's3cret'))).statusCode).toBe(200);
  });
});

describe('a start with a bad http_basic user file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-auth-bad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (userFile: string) =>
    createConductor(
      defineConfig({
        drivers: { enabled: ['@ironic/driver-fake'] },
        database: await embeddedTestDatabase(),
        api: { auth_strategy: 'http_basic', http_basic_auth_user_file: userFile },
      }),
      { logger: pino({ level: 'silent' }), configSource: 'conductor.json' },
    );

  it('refuses a missing file, naming the field and the file', async () => {
    const missing = join(dir, 'none');
    const error = (await start(missing).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues[0]?.path).toBe('api.http_basic_auth_user_file');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('Problem reading auth user file');
  });

  it('refuses an entry that is not bcrypt, naming the user', async () => {
    const file = join(dir, 'md5');
    await writeFile(file, `admin:${hash('x')}\nlegacy:$apr1$abc$0123456789abcdefghijkl\n`);
    await expect(start(file)).rejects.toThrow(/Only bcrypt digested passwords are supported for legacy/);
  });
});
