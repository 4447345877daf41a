import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@ironic/periodic-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConductor } from '../src/conductor.js';
import { defineConfig } from '../src/config/load-config.js';
import { createDatabase } from '../src/db/create-database.js';
import { installShutdownHandlers } from '../src/shutdown.js';
import { ConductorRegistry } from '../src/store/conductor-registry.js';
import { KyselyNodeRepository } from '../src/store/kysely-node-repository.js';
import type { TestDeploy } from './fixtures/test-driver.js';
import { fixtureImporter, TEST_EPOCH } from './support/test-conductor.js';

const silent = pino({ level: 'silent' });

describe('signal handling', () => {
  function setup(stop: () => Promise<void>) {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const timeouts: (number | undefined)[] = [];
    const uninstall = installShutdownHandlers(
      {
        stop: (options) => {
          timeouts.push(options?.timeout);
          return stop();
        },
      },
      {
        logger: silent,
        timeout: 5000,
        exit: (code) => exits.push(code),
        signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
      },
    );
    return { signals, exits, timeouts, uninstall };
  }

  it('stops gracefully with the deadline on the first signal, then exits 0', async () => {
    const { signals, exits, timeouts } = setup(async () => {});
    signals.emit('SIGTERM', 'SIGTERM');
    expect(timeouts).toEqual([5000]);
    await new Promise(setImmediate);
    expect(exits).toEqual([0]);
  });

  it('exits at once on a second signal while stopping', async () => {
    let finish: () => void = () => {};
    const { signals, exits, timeouts } = setup(() => new Promise<void>((resolve) => (finish = resolve)));
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    expect(timeouts).toHaveLength(1);
    finish();
  });

  it('exits 1 when stopping fails, and can be uninstalled', async () => {
    const { signals, exits, uninstall } = setup(async () => {
      throw new Error('database gone');
    });
    signals.emit('SIGTERM', 'SIGTERM');
    await new Promise(setImmediate);
    expect(exits).toEqual([1]);
    uninstall();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('conductor lifecycle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-data-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on 127.0.0.1, waits for running actions on stop, releases its locks and goes offline', async () => {
    const config = defineConfig({
      conductor: { id: 'life', host: 'life-host' },
      api: { host: '127.0.0.1', port: 0 },
      database: { data_dir: join(dir, 'db') },
      drivers: { enabled: ['@example/driver-test'] },
      log: { level: 'silent' },
    });
    const conductor = await createConductor(config, {
      clock: new ManualClock(TEST_EPOCH),
      importer: fixtureImporter,
      logger: silent,
    });
    // A lock left by this conductor's previous life is freed at start.
    const stale = await conductor.repository.create({ driver: 'test-hardware', name: 'stale' });
    await conductor.repository.reserve(stale.uuid, 'life');
    const { address } = await conductor.start();
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await conductor.repository.get(stale.uuid))?.reservation).toBeNull();

    const created = await fetch(`${address}/v1/nodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
      body: JSON.stringify({ driver: 'test-hardware', name: 'busy' }),
    });
    expect(created.status).toBe(201);
    const { uuid } = (await created.json()) as { uuid: string };
    const repository = conductor.repository;
    // Make it deployable, then start a deployment that waits on the test's gate.
    await repository.reserve(uuid, 'setup');
    await repository.update(uuid, 'setup', { provision_state: 'available' });
    await repository.release(uuid, 'setup');
    const deploy = conductor.drivers.get('test-hardware')!.interfaces.deploy as TestDeploy;
    deploy.closeGate();
    const accepted = await fetch(`${address}/v1/nodes/${uuid}/states/provision`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
      body: JSON.stringify({ target: 'active' }),
    });
    expect(accepted.status).toBe(202);
    expect((await repository.get(uuid))?.reservation).toBe('life');

    let stopped = false;
    const stopping = conductor.stop({ timeout: 10_000 }).then(() => {
      stopped = true;
    });
    // Stopping marks the conductor draining in the database (a round trip), then closes the API.
    while (conductor.api.server.listening) await new Promise(setImmediate);
    expect(stopped).toBe(false);
    // The API stopped first: a new request is refused (or, on a kept-alive connection, answered 503).
    const late = await fetch(`${address}/v1/nodes`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(['refused', 503]).toContain(late);
    deploy.openGate();
    await stopping;
    expect(conductor.stop()).toBe(conductor.stop());

    const reopened = await createDatabase({ dataDir: join(dir, 'db') });
    try {
      const node = await new KyselyNodeRepository(reopened.db).get(uuid);
      expect(node).toMatchObject({ provision_state: 'active', reservation: null });
      const records = await new ConductorRegistry(reopened.db).list();
      expect(records).toMatchObject([{ id: 'life', online: false }]);
    } finally {
      await reopened.close();
    }
  });
});
