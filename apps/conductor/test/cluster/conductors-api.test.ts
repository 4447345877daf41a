import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededUuids } from '../support/seeded-keys.js';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';

describe('GET /v1/conductors and the cluster metrics', () => {
  let t: TestConductor;
  beforeEach(async () => {
    t = await startTestConductor({
      conductor: { id: 'test-conductor', host: 'test-host', heartbeat_interval: 10, heartbeat_timeout: 60 },
    });
  });
  afterEach(async () => {
    await t.conductor.stop();
  });

  const api = () => t.conductor.api;

  /**
   * "peer" shares the driver and heartbeats; "gone" stopped heartbeating longer than the timeout ago (on
   * the database's clock) and stayed silent while this conductor heartbeated for longer than the timeout.
   */
  async function twoMoreConductors(): Promise<void> {
    const { registry } = t.conductor;
    await registry.register('gone', 'gone-host', ['test-hardware']);
    await registry.register('peer', 'peer-host', ['test-hardware']);
    await sql`update conductors set last_heartbeat_at = now() - interval '61 seconds' where id = 'gone'`.execute(
      t.conductor.database.db,
    );
    await t.advance(61_000);
    // The peer publishes the same ring: it claims exactly its share.
    await registry.heartbeat(
      'peer',
      'peer-host',
      ['test-hardware'],
      [
        ['peer', ['test-hardware']],
        ['test-conductor', ['test-hardware']],
      ],
    );
    // One heartbeat finds "gone" dead, the next publishes the ring without it.
    await t.conductor.membership.tick();
    await t.conductor.membership.tick();
  }

  it('lists members in Ironic’s shape with liveness and the nodes the rings give each', async () => {
    // Fixed UUIDs: the same split between the two live members on every run.
    for (const uuid of seededUuids(40, 'conductors-api')) {
      await t.conductor.repository.create({ uuid, driver: 'test-hardware' });
    }
    await twoMoreConductors();

    const response = await api().inject({ url: '/v1/conductors', headers: { host: '127.0.0.1:6385' } });
    expect(response.statusCode).toBe(200);
    const { conductors } = response.json();
    expect(conductors.map((c: { hostname: string; alive: boolean }) => [c.hostname, c.alive])).toEqual([
      ['gone-host', false],
      ['peer-host', true],
      ['test-host', true],
    ]);
    expect(conductors[1]).toEqual({
      hostname: 'peer-host',
      conductor_group: '',
      alive: true,
      links: [
        { href: 'http://127.0.0.1:6385/v1/conductors/peer-host', rel: 'self' },
        { href: 'http://127.0.0.1:6385/conductors/peer-host', rel: 'bookmark' },
      ],
      id: 'peer',
      node_count: expect.any(Number),
    });
    const counts = conductors.map((c: { node_count: number }) => c.node_count);
    expect(counts[0]).toBe(0);
    expect(counts[1] + counts[2]).toBe(40);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[2]).toBeGreaterThan(0);

    const metrics = await (await api().inject({ url: '/metrics' })).body;
    expect(metrics).toContain(`ironic_conductor_owned_nodes ${counts[2]}`);
    expect(metrics).toContain('ironic_conductor_members{alive="true"} 2');
    expect(metrics).toContain('ironic_conductor_members{alive="false"} 1');
  });

  it('shows one conductor with its drivers and times, and 404s an unknown one', async () => {
    await twoMoreConductors();
    const shown = (await api().inject({ url: '/v1/conductors/test-host' })).json();
    expect(shown).toMatchObject({
      hostname: 'test-host',
      conductor_group: '',
      alive: true,
      drivers: ['test-hardware'],
      id: 'test-conductor',
      draining: false,
    });
    // Times come from the database's clock, not the test's fake one.
    expect(shown.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(shown.updated_at).toBe(shown.last_heartbeat_at);
    expect(shown.started_at).toBe(shown.created_at);
    expect((await api().inject({ url: '/v1/conductors/gone' })).json()).toMatchObject({ alive: false });
    const detail = (await api().inject({ url: '/v1/conductors?detail=true' })).json();
    expect(detail.conductors[0]).toHaveProperty('drivers', ['test-hardware']);

    const missing = await api().inject({ url: '/v1/conductors/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(faultOf(missing.body).faultstring).toBe('Conductor nowhere could not be found.');
  });

  it('owns no node from the moment it starts stopping', async () => {
    const node = await t.conductor.repository.create({ driver: 'test-hardware' });
    expect(t.conductor.membership.ownsNode(node)).toBe(true);
    await t.conductor.stop();
    expect(t.conductor.membership.ownsNode(node)).toBe(false);
  });
});
