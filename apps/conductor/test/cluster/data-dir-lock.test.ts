import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DATA_DIR_LOCK_FILE, DataDirLocked } from '../../src/cluster/data-dir-lock.js';
import { createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';
import { fixtureImporter } from '../support/test-conductor.js';
import {
  createWorkDir,
  killProcess,
  removeWorkDir,
  startConductorProcess,
} from './support/conductor-processes.js';

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

describe('the embedded data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes our pid, refuses a second holder while the first runs, and frees the directory on release', async () => {
    const lock = await acquireDataDirLock(dir);
    const written = JSON.parse(await readFile(join(dir, DATA_DIR_LOCK_FILE), 'utf8'));
    expect(written).toMatchObject({ pid: process.pid, hostname: hostname() });

    const refused = await acquireDataDirLock(dir, { pid: process.pid + 1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirLocked);
    expect(refused).toMatchObject({ name: 'DataDirLocked', code: 'DATA_DIR_LOCKED', dataDir: dir });
    expect((refused as Error).message).toContain(`${dir} is in use by another conductor (pid ${process.pid}`);
    expect((refused as Error).message).toContain('PostgreSQL');

    await lock.release();
    await expect(stat(join(dir, DATA_DIR_LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await acquireDataDirLock(dir);
    await again.release();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const pid = await deadPid();
    await writeFile(
      join(dir, DATA_DIR_LOCK_FILE),
      JSON.stringify({ pid, hostname: hostname(), started_at: '2026-01-01T00:00:00.000Z' }),
    );
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(await readFile(join(dir, DATA_DIR_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a lock written on another host, whose process it cannot check', async () => {
    const pid = await deadPid();
    await writeFile(
      join(dir, DATA_DIR_LOCK_FILE),
      JSON.stringify({ pid, hostname: 'elsewhere.example', started_at: '2026-01-01T00:00:00.000Z' }),
    );
    await expect(acquireDataDirLock(dir)).rejects.toThrow(`pid ${pid} on elsewhere.example`);
  });

  it('never removes a lock that another process took after ours was taken over', async () => {
    const lock = await acquireDataDirLock(dir);
    const other = { pid: process.pid + 1, hostname: hostname(), started_at: '2026-01-01T00:00:00.000Z' };
    await writeFile(join(dir, DATA_DIR_LOCK_FILE), JSON.stringify(other));
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, DATA_DIR_LOCK_FILE), 'utf8'))).toEqual(other);
  });

  it('lets one conductor only open a PGlite data directory', async () => {
    const config = defineConfig({
      conductor: { id: 'first', host: 'first' },
      database: { data_dir: dir },
      drivers: { enabled: ['@example/fake-hardware'] },
      log: { level: 'silent' },
    });
    const options = { importer: fixtureImporter, logger: pino({ level: 'silent' }) };
    const first = await createConductor(config, options);
    await first.start({ listen: false });
    try {
      await expect(
        createConductor({ ...config, conductor: { ...config.conductor, id: 'second' } }, options),
      ).rejects.toThrow(DataDirLocked);
    } finally {
      await first.stop();
    }
    // Stopped, the first one leaves the directory free for the next.
    const next = await createConductor(config, options);
    await next.stop();
  });

  it('makes a second ironic-conductor process on the same directory exit with a clear message', async () => {
    const workDir = await createWorkDir();
    const config = {
      api: { host: '127.0.0.1', port: 0 },
      database: { data_dir: join(dir, 'data') },
      drivers: { enabled: ['@ironic/driver-fake'] },
      log: { level: 'info' as const, pretty: false },
    };
    const first = await startConductorProcess(workDir, 'first', config);
    try {
      const refused = await startConductorProcess(workDir, 'second', config).catch((error: unknown) => error);
      expect(String(refused)).toMatch(
        /exited \(1\) before starting: ironic-conductor: The PGlite data directory .*\/data is in use by another conductor \(pid \d+/,
      );
      expect(String(refused)).toContain(`pid ${first.child.pid}`);
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      await killProcess(first);
      await removeWorkDir(workDir);
    }
  });
});
