import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { SharedPower } from '../fixtures/twin-drivers.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('driver periodic tasks run by the conductor', () => {
  let t: TestConductor | undefined;
  afterEach(async () => {
    await t?.conductor.stop({ timeout: 1000 });
    t = undefined;
  });

  it('finds a driver package\u2019s @periodic methods and runs them on the worker\u2019s clock', async () => {
    t = await startTestConductor();
    expect(t.power.ticks).toBe(0);
    await t.clock.advance(29_999);
    expect(t.power.ticks).toBe(0);
    await t.clock.advance(1);
    await t.conductor.worker.idle();
    expect(t.power.ticks).toBe(1);
    await t.clock.advance(60_000);
    await t.conductor.worker.idle();
    expect(t.power.ticks).toBe(3);
  });

  it('runs a per-node sweep over exactly the matching nodes, skipping a locked one and one deleted mid-sweep', async () => {
    t = await startTestConductor();
    const repo = t.conductor.repository;
    for (const [n, fields] of [
      [1, { provision_state: 'inspect wait' }],
      [2, { provision_state: 'inspect wait' }], // locked by another conductor
      [3, { provision_state: 'manageable' }], // wrong state
      [4, { provision_state: 'inspect wait' }], // deleted while node 1 is handled
      [5, { provision_state: 'inspect wait' }],
      [6, { provision_state: 'inspect wait', driver: 'not-enabled-here' }], // another driver
    ] as const) {
      await repo.create({ uuid: uuid(n), driver: 'test-hardware', ...fields });
    }
    await repo.reserve(uuid(2), 'other-conductor');
    const inspect = t.inspect;
    inspect.onVisit = async (task) => {
      if (task.node.uuid !== uuid(1)) return;
      await repo.reserve(uuid(4), 'deleter');
      await repo.delete(uuid(4), 'deleter');
    };

    const outcome = await t.conductor.worker.runNow('TestInspect.checkInspections');
    expect(outcome.status).toBe('succeeded');
    expect(inspect.visited).toEqual([uuid(1), uuid(5)]);
    const { periodic_tasks: tasks } = (await t.conductor.api.inject({ url: '/v1/periodic-tasks' })).json();
    const sweep = tasks.find((task: { name: string }) => task.name === 'TestInspect.checkInspections');
    expect(sweep.sweep).toMatchObject({
      runs: 1,
      handled: 2,
      skipped_locked: 1,
      skipped_not_found: 1,
      errors: 0,
    });
    // Every lock the sweep took was released; the foreign one is untouched.
    expect((await repo.list({ reserved: true })).map((node) => [node.uuid, node.reservation])).toEqual([
      [uuid(2), 'other-conductor'],
    ]);
  });

  it('runs a shared interface instance\u2019s tasks once for two drivers', async () => {
    t = await startTestConductor({ drivers: { enabled: ['@example/driver-twins'] } });
    expect([...t.conductor.drivers.keys()]).toEqual(['twin-a', 'twin-b']);
    const names = t.conductor.worker.stats().map((stats) => stats.name);
    expect(names.filter((name) => name === 'SharedPower.poll')).toHaveLength(1);
    const shared = t.conductor.drivers.get('twin-a')!.interfaces.power as SharedPower;
    const before = shared.ticks;
    await t.clock.advance(20_000);
    await t.conductor.worker.idle();
    expect(shared.ticks).toBe(before + 1);
  });

  it('heartbeats into the conductors table and frees the nodes of a dead conductor', async () => {
    t = await startTestConductor();
    const { registry, repository } = t.conductor;
    expect(await registry.list()).toMatchObject([
      { id: 'test-conductor', hostname: 'test-host', online: true, drivers: ['test-hardware'] },
    ]);
    // A conductor that last heartbeat 2 minutes ago (on the database's clock), holding a node.
    await registry.register('dead-conductor', 'dead-host', []);
    await sql`update conductors set last_heartbeat_at = now() - interval '2 minutes'
      where id = 'dead-conductor'`.execute(t.conductor.database.db);
    const orphan = await repository.create({ driver: 'test-hardware' });
    await repository.reserve(orphan.uuid, 'dead-conductor');
    const mine = await repository.create({ driver: 'test-hardware' });
    await repository.reserve(mine.uuid, 'test-conductor');
    const before = (await registry.list()).find((record) => record.id === 'test-conductor');

    await t.advance(60_000);
    const alive = (await registry.list()).find((record) => record.id === 'test-conductor');
    expect(Date.parse(alive?.last_heartbeat_at ?? '')).toBeGreaterThan(
      Date.parse(before?.last_heartbeat_at ?? ''),
    );
    // Silent for long enough, but this conductor has heartbeated for only 60 s: not more than the timeout.
    expect(t.conductor.membership.deadIds).toEqual([]);
    expect((await repository.get(orphan.uuid))?.reservation).toBe('dead-conductor');

    // The next heartbeat finds it dead; the clearing after it frees its node.
    await t.advance(20_000);
    expect(t.conductor.membership.deadIds).toEqual(['dead-conductor']);
    expect((await repository.get(orphan.uuid))?.reservation).toBeNull();
    expect((await repository.get(mine.uuid))?.reservation).toBe('test-conductor');
  });
});
