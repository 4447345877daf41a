import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

describe('node states API', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor({ drivers: { enabled: ['@example/driver-test', '@ironic/driver-fake'] } });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const client = apiClient(() => t.conductor.api);
  const makeNode = (fields: Parameters<TestConductor['conductor']['repository']['create']>[0]) =>
    t.conductor.repository.create(fields);
  const provision = (uuid: string, body: unknown, version?: string) =>
    client.put(`/v1/nodes/${uuid}/states/provision`, body, version);
  const settle = async (uuid: string) => {
    await t.conductor.background.settled();
    return t.conductor.nodes.get(uuid);
  };

  it('shows the states document, trimmed to the microversion', async () => {
    const node = await makeNode({
      driver: 'test-hardware',
      power_state: 'power off',
      provision_state: 'inspect wait',
    });
    expect((await client.get(`/v1/nodes/${node.uuid}/states`)).json()).toEqual({
      power_state: 'power off',
      target_power_state: null,
      provision_state: 'inspect wait',
      target_provision_state: null,
      last_error: null,
      console_enabled: false,
      raid_config: {},
      target_raid_config: {},
      provision_updated_at: null,
      boot_mode: null,
      secure_boot: null,
    });
    // Before 1.39 `inspect wait` was `inspecting`; RAID from 1.12, boot mode from 1.75.
    expect((await client.get(`/v1/nodes/${node.uuid}/states`, '1.11')).json()).toEqual({
      power_state: 'power off',
      target_power_state: null,
      provision_state: 'inspecting',
      target_provision_state: null,
      last_error: null,
      console_enabled: false,
      provision_updated_at: null,
    });
    expect((await client.get('/v1/nodes/ghost/states')).statusCode).toBe(404);
  });

  it('accepts manage with 202 and a Location, and the node ends manageable with its power state', async () => {
    const node = await makeNode({ driver: 'test-hardware', power_state: 'power on' });
    const response = await provision(node.uuid, { target: 'manage' });
    expect(response.statusCode).toBe(202);
    expect(response.body).toBe('');
    expect(response.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}/states`);
    expect(await settle(node.uuid)).toMatchObject({
      provision_state: 'manageable',
      target_provision_state: null,
      power_state: 'power on',
      reservation: null,
    });
  });

  it('shows the transitional state at once; inspection records its times; abort from 1.41', async () => {
    const node = await makeNode({ driver: 'test-hardware', provision_state: 'manageable' });
    expect((await provision(node.uuid, { target: 'inspect' })).statusCode).toBe(202);
    const rightAfter = await t.conductor.nodes.get(node.uuid);
    expect(['inspecting', 'inspect wait']).toContain(rightAfter.provision_state);
    expect(rightAfter.target_provision_state).toBe('manageable');
    const waiting = await settle(node.uuid);
    expect(waiting).toMatchObject({
      provision_state: 'inspect wait',
      reservation: null,
      inspection_finished_at: null,
    });
    expect(waiting.inspection_started_at).toBe('2026-01-01T12:00:00.000000+00:00');
    expect((await provision(node.uuid, { target: 'abort' }, '1.40')).statusCode).toBe(406);
    expect((await provision(node.uuid, { target: 'abort' })).statusCode).toBe(202);
    expect(await settle(node.uuid)).toMatchObject({
      provision_state: 'inspect failed',
      inspection_started_at: null,
      last_error: 'Inspection was aborted by request.',
    });
  });

  it("refuses what the node's state, the version or the request does not allow, changing nothing", async () => {
    const node = await makeNode({ driver: 'test-hardware' });
    const url = `/v1/nodes/${node.uuid}/states/provision`;
    for (const [body, status, message] of [
      [
        { target: 'provide' },
        400,
        `The requested action "provide" can not be performed on node "${node.uuid}" while it is in state "enroll".`,
      ],
      [
        { target: 'fly' },
        400,
        `The requested action "fly" can not be performed on node "${node.uuid}" while it is in state "enroll".`,
      ],
      [{}, 400, 'Missing mandatory parameter: target'],
      [{ target: 'manage', colour: 'red' }, 400, 'Unexpected arguments: colour'],
      [
        { target: 'manage', clean_steps: [{ interface: 'raid', step: 'x' }] },
        400,
        '"clean_steps" is only valid when setting target provision state to clean',
      ],
      [
        { target: 'manage', rescue_password: 'x' },
        400,
        '"rescue_password" is only valid when setting target provision state to rescue',
      ],
      [
        { target: 'manage', configdrive: 'http://x/cd' },
        400,
        'Adding a config drive is only supported when setting provision state to active, rebuild',
      ],
    ] as const) {
      const response = await client.put(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      expect(faultstring(response)).toBe(message);
    }
    expect((await client.put(url, { target: 'manage' }, '1.3')).statusCode).toBe(406);
    await t.conductor.repository.reserve(node.uuid, 'other-conductor');
    expect((await client.put(url, { target: 'manage' })).statusCode).toBe(409);
    expect((await client.put(url, { target: 'provide' })).statusCode).toBe(409);
    await t.conductor.repository.release(node.uuid, 'other-conductor');
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'enroll',
      reservation: null,
      last_error: null,
    });
    expect((await provision('ghost', { target: 'manage' })).statusCode).toBe(404);
  });

  it('refuses actions on a node whose driver this conductor does not run, with 400', async () => {
    const node = await makeNode({ driver: 'elsewhere' });
    for (const [url, payload] of [
      [`/v1/nodes/${node.uuid}/states/provision`, { target: 'manage' }],
      [`/v1/nodes/${node.uuid}/states/power`, { target: 'power on' }],
      [`/v1/nodes/${node.uuid}/states/raid`, { logical_disks: [{ size_gb: 10, raid_level: '0' }] }],
    ] as const) {
      const response = await client.put(url, payload);
      expect(response.statusCode, url).toBe(400);
      expect(faultstring(response)).toBe(
        'No valid host was found. Reason: No conductor service registered which supports driver elsewhere for conductor group "".',
      );
    }
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'enroll',
      reservation: null,
    });
  });

  it('holds the lock while the action continues, then releases it', async () => {
    const node = await makeNode({ driver: 'test-hardware', provision_state: 'available' });
    t.deploy.closeGate();
    expect((await provision(node.uuid, { target: 'active' })).statusCode).toBe(202);
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'deploying',
      target_provision_state: 'active',
      reservation: 'test-conductor',
    });
    expect((await provision(node.uuid, { target: 'deleted' })).statusCode).toBe(409);
    t.deploy.openGate();
    expect(await settle(node.uuid)).toMatchObject({ provision_state: 'active', reservation: null });
  });

  it('provides through automated cleaning: the steps the driver marks with a priority', async () => {
    const node = await makeNode({ driver: 'test-hardware', provision_state: 'manageable' });
    expect((await provision(node.uuid, { target: 'provide' })).statusCode).toBe(202);
    expect(await settle(node.uuid)).toMatchObject({
      provision_state: 'available',
      clean_step: {},
      last_error: null,
    });
    expect(t.deploy.erased).toEqual([node.uuid]);
    // A node that opts out skips them; one whose step waits rests in clean wait until aborted.
    const optedOut = await makeNode({
      driver: 'test-hardware',
      provision_state: 'manageable',
      automated_clean: false,
    });
    await provision(optedOut.uuid, { target: 'provide' });
    expect((await settle(optedOut.uuid)).provision_state).toBe('available');
    expect(t.deploy.erased).toEqual([node.uuid]);
    t.deploy.eraseWaits = true;
    try {
      const waiting = await makeNode({ driver: 'test-hardware', provision_state: 'manageable' });
      await provision(waiting.uuid, { target: 'provide' });
      expect(await settle(waiting.uuid)).toMatchObject({
        provision_state: 'clean wait',
        target_provision_state: 'available',
        clean_step: { interface: 'deploy', step: 'erase_devices', priority: 10 },
      });
      await provision(waiting.uuid, { target: 'abort' });
      expect(await settle(waiting.uuid)).toMatchObject({ provision_state: 'clean failed', clean_step: {} });
    } finally {
      t.deploy.eraseWaits = false;
    }
    // Undeploying cleans too.
    const active = await makeNode({
      driver: 'test-hardware',
      provision_state: 'active',
      instance_uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
    });
    await provision(active.uuid, { target: 'undeploy' });
    expect(await settle(active.uuid)).toMatchObject({ provision_state: 'available', instance_uuid: null });
    expect(t.deploy.erased.at(-1)).toBe(active.uuid);
  });

  it('runs a manual clean with clean_steps, and refuses unknown steps with 400', async () => {
    const config = { logical_disks: [{ size_gb: 'MAX', raid_level: '0' }] };
    const node = await makeNode({
      driver: 'test-hardware',
      provision_state: 'manageable',
      target_raid_config: config,
    });
    const url = `/v1/nodes/${node.uuid}/states/provision`;
    expect(faultstring(await client.put(url, { target: 'clean' }))).toBe(
      '"clean_steps" is required when setting target provision state to clean',
    );
    expect(
      faultstring(
        await client.put(url, { target: 'clean', clean_steps: [{ interface: 'boot', step: 'x' }] }),
      ),
    ).toBe("Invalid clean_steps: 'boot' is not one of ['power', 'management', 'deploy', 'bios', 'raid']");
    const unknown = await client.put(url, {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'explode' }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(faultstring(unknown)).toContain('no clean step "explode"');
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      provision_state: 'manageable',
      reservation: null,
    });
    expect(
      (
        await client.put(url, {
          target: 'clean',
          clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
        })
      ).statusCode,
    ).toBe(202);
    expect(await settle(node.uuid)).toMatchObject({
      provision_state: 'manageable',
      raid_config: config,
      reservation: null,
    });
  });

  it('deploys, rescues, unrescues, rebuilds and undeploys a fake-hardware node', async () => {
    const node = await makeNode({ driver: 'fake-hardware', provision_state: 'available' });
    const url = `/v1/nodes/${node.uuid}/states/provision`;
    await client.put(url, { target: 'active', configdrive: { meta_data: { hostname: 'h' } } });
    expect(await settle(node.uuid)).toMatchObject({
      provision_state: 'active',
      instance_info: { configdrive: { meta_data: { hostname: 'h' } } },
    });
    expect((await client.get(`/v1/nodes/${node.uuid}?fields=instance_info`)).json().instance_info).toEqual({
      configdrive: '******',
    });
    expect(faultstring(await client.put(url, { target: 'rescue' }))).toBe(
      'A non-empty "rescue_password" is required when setting target provision state to rescue',
    );
    expect((await client.put(url, { target: 'rescue', rescue_password: 'pw' }, '1.37')).statusCode).toBe(406);
    await client.put(url, { target: 'rescue', rescue_password: 'pw' });
    expect(await settle(node.uuid)).toMatchObject({
      provision_state: 'rescue',
      instance_info: { rescue_password: 'pw' },
    });
    await client.put(url, { target: 'unrescue' });
    expect((await settle(node.uuid)).provision_state).toBe('active');
    await client.put(url, { target: 'rebuild' });
    expect((await settle(node.uuid)).provision_state).toBe('active');
    await client.patch(`/v1/nodes/${node.uuid}`, [{ op: 'add', path: '/protected', value: true }]);
    const refused = await client.put(url, { target: 'deleted' });
    expect(refused.statusCode).toBe(403);
    expect(faultstring(refused)).toBe(
      `Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`,
    );
    await client.patch(`/v1/nodes/${node.uuid}`, [{ op: 'add', path: '/protected', value: false }]);
    await client.put(url, { target: 'deleted' });
    expect(await settle(node.uuid)).toMatchObject({ provision_state: 'available', instance_info: {} });
    await client.put(`/v1/nodes/${node.uuid}/maintenance`, {});
    const maintained = await client.put(url, { target: 'active' });
    expect(faultstring(maintained)).toBe(
      `The provisioning operation can't be performed on node ${node.uuid} because it's in maintenance mode.`,
    );
  });

  it('changes power with 202, soft targets where the driver supports them, timeouts from 1.27', async () => {
    const node = await makeNode({ driver: 'fake-hardware', power_state: 'power off' });
    const url = `/v1/nodes/${node.uuid}/states/power`;
    const on = await client.put(url, { target: 'power on' });
    expect(on.statusCode).toBe(202);
    expect(on.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}/states`);
    expect(await settle(node.uuid)).toMatchObject({
      power_state: 'power on',
      target_power_state: null,
      reservation: null,
    });
    await client.put(url, { target: 'soft power off', timeout: 10 });
    expect((await settle(node.uuid)).power_state).toBe('power off');
    await client.put(url, { target: 'soft rebooting' });
    expect((await settle(node.uuid)).power_state).toBe('power on');
    expect((await client.put(url, { target: 'soft power off' }, '1.26')).statusCode).toBe(406);
    expect(faultstring(await client.put(url, { target: 'power on', timeout: 0 }))).toBe(
      'timeout has to be positive integer',
    );
    expect(faultstring(await client.put(url, { target: 'power on', timeout: 'x' }))).toBe(
      'Expected an integer for timeout: x',
    );
    expect(faultstring(await client.put(url, { target: 'sideways' }))).toBe(
      `The requested action "sideways" can not be performed on node "${node.uuid}" while it is in state "power on".`,
    );
    const plain = await makeNode({ driver: 'test-hardware', power_state: 'power on' });
    expect(
      faultstring(await client.put(`/v1/nodes/${plain.uuid}/states/power`, { target: 'soft power off' })),
    ).toBe('The driver test-hardware does not support the power state, soft power off');
    const cleaning = await makeNode({ driver: 'fake-hardware', provision_state: 'clean wait' });
    expect(
      (await client.put(`/v1/nodes/${cleaning.uuid}/states/power`, { target: 'power on' })).statusCode,
    ).toBe(400);
  });

  it('sets, validates and clears target_raid_config; 404 for a node without RAID', async () => {
    const node = await makeNode({ driver: 'fake-hardware' });
    const url = `/v1/nodes/${node.uuid}/states/raid`;
    const config = { logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }] };
    expect((await client.put(url, config)).statusCode).toBe(204);
    expect((await t.conductor.nodes.get(node.uuid)).target_raid_config).toEqual(config);
    const invalid = await client.put(url, { logical_disks: [] });
    expect(invalid.statusCode).toBe(400);
    expect(faultstring(invalid)).toBe('RAID config validation error: [] is too short');
    expect(faultstring(await client.put(url, []))).toBe(
      "Expected types <class 'dict'> for target_raid_config: []",
    );
    expect((await client.put(url, config, '1.11')).statusCode).toBe(406);
    expect((await client.put(url, {})).statusCode).toBe(204);
    expect((await t.conductor.nodes.get(node.uuid)).target_raid_config).toEqual({});
    const noRaid = await makeNode({ driver: 'fake-hardware', raid_interface: 'no-raid' });
    const missing = await client.put(`/v1/nodes/${noRaid.uuid}/states/raid`, config);
    expect(missing.statusCode).toBe(404);
    expect(faultstring(missing)).toBe(
      'Driver fake-hardware does not support raid (disabled or not implemented).',
    );
  });

  it('starts and stops the console, and shows how to reach it', async () => {
    const node = await makeNode({ driver: 'fake-hardware' });
    const url = `/v1/nodes/${node.uuid}/states/console`;
    expect((await client.get(url)).json()).toEqual({ console_enabled: false, console_info: null });
    const started = await client.put(url, { enabled: true });
    expect(started.statusCode).toBe(202);
    expect(started.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}/states/console`);
    await t.conductor.background.settled();
    expect((await client.get(url)).json()).toEqual({ console_enabled: true, console_info: {} });
    expect((await t.conductor.nodes.get(node.uuid)).console_enabled).toBe(true);
    await client.put(url, { enabled: 'false' });
    await t.conductor.background.settled();
    expect((await client.get(url)).json()).toEqual({ console_enabled: false, console_info: null });
    expect(faultstring(await client.put(url, {}))).toBe('Missing mandatory parameter: enabled');
    expect(faultstring(await client.put(url, { enabled: 'maybe' }))).toContain(
      "Invalid enabled: Unrecognized value 'maybe'",
    );
    const plain = await makeNode({ driver: 'test-hardware' });
    expect(faultstring(await client.put(`/v1/nodes/${plain.uuid}/states/console`, { enabled: true }))).toBe(
      'Driver test-hardware does not support console (disabled or not implemented).',
    );
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
      const response = await apiClient(() => t.conductor.api).put(`/v1/nodes/${node.uuid}/states/power`, {
        target: 'power on',
      });
      expect(response.statusCode).toBe(202);
      await t.conductor.background.settled();
      const after = await t.conductor.nodes.get(node.uuid);
      expect(after).toMatchObject({ power_state: 'power off', target_power_state: null, reservation: null });
      expect(after.last_error).toBe(
        "Failed to change power state to 'power on' by 'power on'. Error: BMC unreachable",
      );
    } finally {
      await t.conductor.stop({ timeout: 1000 });
    }
  });
});
