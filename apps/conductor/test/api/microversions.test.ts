import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

/** The node's keys at 1.1, as Ironic 21.4 shows them. */
const NODE_KEYS_1_1 = [
  'chassis_uuid',
  'console_enabled',
  'created_at',
  'driver',
  'driver_info',
  'extra',
  'instance_info',
  'instance_uuid',
  'last_error',
  'links',
  'maintenance',
  'maintenance_reason',
  'ports',
  'power_state',
  'properties',
  'provision_state',
  'provision_updated_at',
  'reservation',
  'target_power_state',
  'target_provision_state',
  'updated_at',
  'uuid',
];

describe('microversions: the node of each version, and what later versions brought', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor({ drivers: { enabled: ['@ironic/driver-fake'] } });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const client = apiClient(() => t.conductor.api);

  it('creates nodes available before 1.11 (shown as None before 1.2) and in enroll from 1.11', async () => {
    const old = await client.post('/v1/nodes', { driver: 'fake-hardware' }, '1.1');
    expect(old.statusCode).toBe(201);
    expect(Object.keys(old.json()).sort()).toEqual(NODE_KEYS_1_1);
    expect(old.json().provision_state).toBeNull();
    expect((await t.conductor.nodes.get(old.json().uuid)).provision_state).toBe('available');
    expect((await client.post('/v1/nodes', { driver: 'fake-hardware' }, '1.10')).json().provision_state).toBe(
      'available',
    );
    expect((await client.post('/v1/nodes', { driver: 'fake-hardware' }, '1.11')).json().provision_state).toBe(
      'enroll',
    );
  });

  it('refuses fields of later versions with 406, and names only from 1.5, hostnames until 1.10', async () => {
    for (const [version, body] of [
      ['1.1', { driver: 'fake-hardware', name: 'early' }],
      ['1.30', { driver: 'fake-hardware', boot_interface: 'fake' }],
      ['1.49', { driver: 'fake-hardware', owner: 'o' }],
      ['1.81', { driver: 'fake-hardware', shard: 's' }],
    ] as const) {
      const response = await client.post('/v1/nodes', body, version);
      expect(response.statusCode, `${version} ${JSON.stringify(body)}`).toBe(406);
      expect(JSON.parse(response.json().error_message).faultstring).toBe('Request not acceptable.');
    }
    expect(
      (await client.post('/v1/nodes', { driver: 'fake-hardware', name: 'Under_Score' }, '1.9')).statusCode,
    ).toBe(400);
    expect(
      (await client.post('/v1/nodes', { driver: 'fake-hardware', name: 'Under_Score' }, '1.10')).statusCode,
    ).toBe(201);
    // Before 1.5 a name finds no node.
    expect((await client.get('/v1/nodes/Under_Score', '1.4')).statusCode).toBe(404);
    expect(
      (await client.patch('/v1/nodes/Under_Score', [{ op: 'add', path: '/shard', value: 's' }], '1.81'))
        .statusCode,
    ).toBe(406);
  });

  it('shows each field from the version that brought it, and translates states for older clients', async () => {
    const node = await t.conductor.repository.create({
      driver: 'fake-hardware',
      name: 'versions',
      provision_state: 'inspect wait',
    });
    const keysAt = async (version: string) =>
      Object.keys((await client.get(`/v1/nodes/${node.uuid}`, version)).json());
    expect(await keysAt('1.30')).not.toContain('boot_interface');
    expect(await keysAt('1.31')).toContain('boot_interface');
    expect(await keysAt('1.31')).not.toContain('storage_interface');
    expect(await keysAt('1.48')).not.toContain('conductor');
    expect(await keysAt('1.49')).toContain('conductor');
    expect(await keysAt('1.13')).not.toContain('states');
    expect(await keysAt('1.14')).toContain('states');
    expect(await keysAt('1.81')).not.toContain('shard');
    expect((await client.get(`/v1/nodes/${node.uuid}`, '1.38')).json().provision_state).toBe('inspecting');
    expect((await client.get(`/v1/nodes/${node.uuid}`, '1.39')).json().provision_state).toBe('inspect wait');
    expect((await client.get(`/v1/nodes/${node.uuid}?fields=uuid`, '1.7')).statusCode).toBe(406);
    expect((await client.get(`/v1/nodes/${node.uuid}?fields=uuid,owner`, '1.49')).statusCode).toBe(406);
    expect((await client.get('/v1/nodes?driver=fake-hardware', '1.15')).statusCode).toBe(406);
    expect((await client.get('/v1/nodes?provision_state=enroll', '1.8')).statusCode).toBe(406);
    expect(
      JSON.parse((await client.get('/v1/nodes?detail=True', '1.42')).json().error_message).faultstring,
    ).toBe('Invalid query parameter ?detail=True received.');
  });
});
