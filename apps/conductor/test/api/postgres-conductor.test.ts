import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { startTestConductor } from '../support/test-conductor.js';
import { POSTGRES_URL, postgresReachable } from '../support/test-databases.js';

const postgresUp = await postgresReachable();

describe.skipIf(!postgresUp)('a conductor on PostgreSQL', () => {
  it('migrates a fresh schema, serves nodes and runs a sweep, then leaves no lock behind', async () => {
    const schema = `conductor_app_${randomBytes(6).toString('hex')}`;
    const t = await startTestConductor({ database: { url: POSTGRES_URL, schema } });
    try {
      expect(t.conductor.database.kind).toBe('postgres');
      const api = t.conductor.api;
      const created = await api.inject({
        method: 'POST',
        url: '/v1/nodes',
        headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
        payload: { driver: 'test-hardware', name: 'pg-node', extra: { rack: 'r1' } },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().created_at).toBe('2026-01-01T12:00:00.000000+00:00');
      await t.conductor.repository.create({
        driver: 'test-hardware',
        provision_state: 'manageable',
        name: 'pg-2',
      });
      const put = await api.inject({
        method: 'PUT',
        url: '/v1/nodes/pg-2/states/provision',
        headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
        payload: { target: 'inspect' },
      });
      expect(put.statusCode).toBe(202);
      await t.conductor.background.settled();
      expect(await t.conductor.worker.runNow('TestInspect.checkInspections')).toMatchObject({
        status: 'succeeded',
      });
      const pg2 = await t.conductor.nodes.get('pg-2');
      expect(t.inspect.visited).toEqual([pg2.uuid]);
      expect(pg2).toMatchObject({ provision_state: 'inspect wait', reservation: null });
      const metrics = (await api.inject({ url: '/metrics' })).body;
      expect(metrics).toContain('ironic_nodes{provision_state="inspect wait"} 1');
    } finally {
      await t.conductor.stop({ timeout: 1000 });
      const cleanup = await createDatabase({ url: POSTGRES_URL });
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(cleanup.db);
      await cleanup.close();
    }
  });
});
