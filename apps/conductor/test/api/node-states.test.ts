import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' };

describe('node states API', () => {
  let t: TestConductor;
  beforeEach(async () => {
    t = await startTestConductor();
  });
  afterEach(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });

  const api = () => t.conductor.api;
  const put = (url: string, payload: unknown) =>
    api().inject({ method: 'PUT', url, headers: JSON_HEADERS, payload: payload as object });
  const makeNode = (fields: Parameters<TestConductor['conductor']['repository']['create']>[0]) =>
    t.conductor.repository.create(fields);

  it('shows the states document', async () => {
    const node = await makeNode({ driver: 'test-hardware', power_state: 'power off' });
    const states = (await api().inject({ url: `/v1/nodes/${node.uuid}/states` })).json();
    expect(states).toEqual({
      power_state: 'power off',
      target_power_state: null,
      provision_state: 'enroll',
      target_provision_state: null,
      last_error: null,
      console_enabled: false,
      raid_config: {},
      target_raid_config: {},
      provision_updated_at: null,
      boot_mode: null,
      secure_boot: null,
    });
    expect((await api().inject({ url: '/v1/nodes/ghost/states' })).statusCode).toBe(404);
  });

  it('accepts manage with 202 and a Location, and the node ends manageable', async () => {
    const node = await makeNode({ driver: 'test-hardware', power_state: 'power on' });
    const response = await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'manage' });
    expect(response.statusCode).toBe(202);
    expect(response.body).toBe('');
    expect(response.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}/states`);
    await t.conductor.background.settled();
    const done = await t.conductor.nodes.get(node.uuid);
    expect(done).toMatchObject({
      provision_state: 'manageable',
      target_provision_state: null,
      reservation: null,
    });
    expect(done.provision_updated_at).toBe('2026-01-01T12:00:00.000000+00:00');
  });

  it('shows the transitional state at once: inspect goes to inspect wait and stays there', async () => {
    const node = await makeNode({ driver: 'test-hardware', provision_state: 'manageable' });
    const response = await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'inspect' });
    expect(response.statusCode).toBe(202);
    const right_after = await t.conductor.nodes.get(node.uuid);
    expect(['inspecting', 'inspect wait']).toContain(right_after.provision_state);
    expect(right_after.target_provision_state).toBe('manageable');
    await t.conductor.background.settled();
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'inspect wait',
      reservation: null,
    });
  });

  it('refuses an illegal transition or unknown target with 400, a locked node with 409, and changes nothing', async () => {
    const node = await makeNode({ driver: 'test-hardware' });
    const illegal = await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'provide' });
    expect(illegal.statusCode).toBe(400);
    expect(faultOf(illegal.body).faultstring).toContain('provide');
    const unknown = await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'fly' });
    expect(unknown.statusCode).toBe(400);
    expect(faultOf(unknown.body).faultstring).toContain('fly');
    const missing = await put(`/v1/nodes/${node.uuid}/states/provision`, {});
    expect(missing.statusCode).toBe(400);
    expect(faultOf(missing.body).faultstring).toContain('target');
    const extra = await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'manage', colour: 'red' });
    expect(extra.statusCode).toBe(400);
    await t.conductor.repository.reserve(node.uuid, 'other-conductor');
    const locked = await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'manage' });
    expect(locked.statusCode).toBe(409);
    await t.conductor.repository.release(node.uuid, 'other-conductor');
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'enroll',
      reservation: null,
      last_error: null,
    });
    expect((await put('/v1/nodes/ghost/states/provision', { target: 'manage' })).statusCode).toBe(404);
  });

  it('refuses actions on a node whose driver this conductor does not run, with 400', async () => {
    const node = await makeNode({ driver: 'elsewhere' });
    for (const [url, payload] of [
      [`/v1/nodes/${node.uuid}/states/provision`, { target: 'manage' }],
      [`/v1/nodes/${node.uuid}/states/power`, { target: 'power on' }],
      [`/v1/nodes/${node.uuid}/states/raid`, { logical_disks: [{ size_gb: 10, raid_level: '0' }] }],
    ] as const) {
      const response = await put(url, payload);
      expect(response.statusCode, url).toBe(400);
      expect(faultOf(response.body).faultstring).toContain('driver elsewhere');
    }
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'enroll',
      reservation: null,
    });
  });

  it('holds the lock while the action continues, then releases it', async () => {
    const node = await makeNode({ driver: 'test-hardware', provision_state: 'available' });
    t.deploy.closeGate();
    expect((await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'active' })).statusCode).toBe(202);
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'deploying',
      target_provision_state: 'active',
      reservation: 'test-conductor',
    });
    expect((await put(`/v1/nodes/${node.uuid}/states/provision`, { target: 'deleted' })).statusCode).toBe(
      409,
    );
    t.deploy.openGate();
    await t.conductor.background.settled();
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'active',
      reservation: null,
    });
  });

  it('runs a manual clean with clean_steps, and refuses unknown steps with 400', async () => {
    const config = { logical_disks: [{ size_gb: 'MAX', raid_level: '0' }] };
    const node = await makeNode({
      driver: 'test-hardware',
      provision_state: 'manageable',
      target_raid_config: config,
    });
    const bad = await put(`/v1/nodes/${node.uuid}/states/provision`, {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'explode' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(faultOf(bad.body).faultstring).toContain('clean_steps[0]');
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'manageable',
      reservation: null,
    });

    const ok = await put(`/v1/nodes/${node.uuid}/states/provision`, {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
    });
    expect(ok.statusCode).toBe(202);
    await t.conductor.background.settled();
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'manageable',
      raid_config: config,
      reservation: null,
    });
  });

  it('changes power with 202 and records a failure in last_error', async () => {
    const node = await makeNode({ driver: 'test-hardware', power_state: 'power off' });
    const response = await put(`/v1/nodes/${node.uuid}/states/power`, { target: 'power on' });
    expect(response.statusCode).toBe(202);
    await t.conductor.background.settled();
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      power_state: 'power on',
      target_power_state: null,
      reservation: null,
    });
    const bad = await put(`/v1/nodes/${node.uuid}/states/power`, { target: 'soft power off' });
    expect(bad.statusCode).toBe(400);
    expect(faultOf(bad.body).faultstring).toContain('target');
  });

  it('sets, validates and clears target_raid_config', async () => {
    const node = await makeNode({ driver: 'test-hardware' });
    const config = { logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }] };
    const set = await put(`/v1/nodes/${node.uuid}/states/raid`, config);
    expect(set.statusCode).toBe(204);
    expect((await t.conductor.nodes.get(node.uuid)).target_raid_config).toEqual(config);
    const invalid = await put(`/v1/nodes/${node.uuid}/states/raid`, { logical_disks: [] });
    expect(invalid.statusCode).toBe(400);
    expect(faultOf(invalid.body).faultstring).toContain('logical_disks');
    expect((await t.conductor.nodes.get(node.uuid)).target_raid_config).toEqual(config);
    expect((await put(`/v1/nodes/${node.uuid}/states/raid`, {})).statusCode).toBe(204);
    expect((await t.conductor.nodes.get(node.uuid)).target_raid_config).toEqual({});
  });
});

describe('power failures', () => {
  it('end with last_error set and no target power state', async () => {
    const t = await startTestConductor({
      drivers: {
        enabled: ['@example/driver-test'],
        options: { 'test-hardware': { fail_power: 'BMC unreachable' } },
      },
    });
    try {
      const node = await t.conductor.repository.create({ driver: 'test-hardware', power_state: 'power off' });
      const response = await t.conductor.api.inject({
        method: 'PUT',
        url: `/v1/nodes/${node.uuid}/states/power`,
        headers: JSON_HEADERS,
        payload: { target: 'power on' },
      });
      expect(response.statusCode).toBe(202);
      await t.conductor.background.settled();
      const after = await t.conductor.nodes.get(node.uuid);
      expect(after).toMatchObject({ power_state: 'power off', target_power_state: null, reservation: null });
      expect(after.last_error).toContain('BMC unreachable');
    } finally {
      await t.conductor.stop({ timeout: 1000 });
    }
  });
});
