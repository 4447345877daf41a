import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

describe('loadConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, content: string) => {
    const file = join(dir, name);
    await writeFile(file, content);
    return file;
  };

  it('reads a file, applies defaults and environment overrides', async () => {
    const file = await write(
      'good.json',
      JSON.stringify({
        conductor: { id: 'c1', host: 'h1' },
        api: { port: 7000 },
        drivers: { enabled: ['@ironic/driver-drac'], options: { 'idrac-redfish': { verify_ca: false } } },
      }),
    );
    const config = await loadConfig({
      path: file,
      env: {
        IRONIC_MAX_WORKERS: '3',
        DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
        IRONIC_API_HOST: '0.0.0.0',
      },
    });
    expect(config).toEqual({
      conductor: {
        id: 'c1',
        host: 'h1',
        heartbeat_interval: 10,
        heartbeat_timeout: 60,
        sync_power_state_interval: 60,
        force_power_state_during_sync: true,
        power_state_sync_max_retries: 3,
        sync_power_state_workers: 8,
        power_failure_recovery_interval: 300,
        check_provision_state_interval: 60,
        clean_callback_timeout: 1800,
        inspect_wait_timeout: 1800,
        deploy_callback_timeout: 1800,
        rescue_callback_timeout: 1800,
      },
      api: {
        host: '0.0.0.0',
        port: 7000,
        auth_strategy: 'noauth',
        http_basic_auth_user_file: '/etc/ironic/htpasswd',
        tls: {},
      },
      database: {
        url: 'postgres://u@127.0.0.1:5432/db',
        data_dir: '.data/conductor',
        connect_timeout: 30,
        max_pool_size: 10,
        migrate_on_start: true,
      },
      periodic: { max_workers: 3, shutdown_timeout: 30 },
      drivers: { enabled: ['@ironic/driver-drac'], options: { 'idrac-redfish': { verify_ca: false } } },
      agent: { heartbeat_timeout: 300, fast_track: true },
      log: { level: 'info' },
    });
  });

  it('finds the file through IRONIC_CONDUCTOR_CONFIG, and works without any file', async () => {
    const file = await write('env.json', JSON.stringify({ api: { port: 7001 } }));
    expect((await loadConfig({ env: { IRONIC_CONDUCTOR_CONFIG: file } })).api.port).toBe(7001);
    expect((await loadConfig({ env: {} })).api).toMatchObject({ host: '127.0.0.1', port: 6385 });
  });

  it('names the file and every bad field', async () => {
    const file = await write(
      'bad.json',
      JSON.stringify({
        api: { port: 'high' },
        periodic: { max_workers: 0 },
        drivers: { enabled: 'x' },
        colour: 1,
      }),
    );
    const attempt = loadConfig({ path: file, env: {} });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    const error = (await attempt.catch((e: unknown) => e)) as ConfigError;
    expect(error.source).toBe(file);
    expect(error.message).toContain(file);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      ['', 'api.port', 'drivers.enabled', 'periodic.max_workers'].sort(),
    );
    expect(error.issues.find((issue) => issue.path === '')?.message).toContain('colour');
  });

  it('names the environment variable behind a bad value', async () => {
    const attempt = loadConfig({ env: { IRONIC_API_PORT: 'eighty' } });
    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: 'api.port', message: expect.stringContaining('IRONIC_API_PORT') }],
    });
  });

  it('reports a missing file and invalid JSON with the file name', async () => {
    await expect(loadConfig({ path: join(dir, 'none.json'), env: {} })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('none.json'),
    });
    const broken = await write('broken.json', '{ "api": ');
    await expect(loadConfig({ path: broken, env: {} })).rejects.toMatchObject({
      message: expect.stringContaining('not valid JSON'),
    });
  });
});
