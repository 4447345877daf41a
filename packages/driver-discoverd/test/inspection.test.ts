import { randomUUID } from 'node:crypto';
import { createDriverHarness, HARNESS_EPOCH } from '@ironic/driver-base/testing';
import { ABORT_MESSAGE } from '@ironic/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_INSPECT_STATUS_TASK, discoverdDriver } from '../src/index.js';
import { advancePeriods, deadUrl, ironicOver, type Setup, startSetup, WARN } from './helpers.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('inspection through discoverd, one branch per node', () => {
  let setup: Setup;
  afterEach(async () => setup?.close());

  async function manageableNode(extra: { properties?: Record<string, string | number> } = {}) {
    return setup.harness.createNode({ driver: 'discoverd', provision_state: 'manageable', ...extra });
  }

  it('starts inspection, then sets the properties and returns the node to manageable when discoverd finishes', async () => {
    setup = await startSetup();
    const node = await setup.harness.createNode({
      driver: 'discoverd',
      properties: { capabilities: 'boot_mode:uefi' },
    });
    // The driver's power interface answers the enroll → manageable check.
    expect(await setup.harness.provision(node.uuid, { target: 'manage' })).toMatchObject({
      provision_state: 'manageable',
      power_state: 'power off',
    });
    setup.simulator.configureNode(node.uuid, {
      durationMs: 90_000,
      hardware: { cpus: 16, cpuArch: 'aarch64', memoryMb: 65_536, disksGb: [240, 960] },
    });

    const waiting = await setup.harness.provision(node.uuid, { target: 'inspect' });
    expect(waiting).toMatchObject({ provision_state: 'inspect wait', target_provision_state: 'manageable' });
    expect(waiting.driver_internal_info.inspection_started_at).toBe(iso(HARNESS_EPOCH));
    expect(setup.simulator.introspection(node.uuid)?.state).toBe('starting');

    await setup.harness.advance(60_000);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('inspect wait');

    await setup.harness.advance(60_000);
    const done = await setup.harness.node(node.uuid);
    expect(done).toMatchObject({
      provision_state: 'manageable',
      target_provision_state: null,
      last_error: null,
      reservation: null,
      properties: {
        capabilities: 'boot_mode:uefi',
        cpus: 16,
        cpu_arch: 'aarch64',
        memory_mb: 65_536,
        local_gb: 239,
      },
    });
    expect(done.driver_internal_info.inspection_started_at).toBeUndefined();
    expect(done.driver_internal_info.inspection_finished_at).toBe(iso(HARNESS_EPOCH + 120_000));
    expect(setup.inspect.stats).toMatchObject({
      started: 1,
      polls: 2,
      succeeded: 1,
      failed: 0,
      pollErrors: 0,
    });
    expect(setup.simulator.stats.byRoute).toMatchObject({
      'POST /v1/introspection/{node_id}': 1,
      'GET /v1/introspection/{node_id}': 2,
      'GET /v1/introspection/{node_id}/data': 1,
    });
  });

  it('fails the node with discoverd’s message when introspection ends in error', async () => {
    setup = await startSetup();
    const node = await manageableNode();
    setup.simulator.configureNode(node.uuid, {
      durationMs: 20_000,
      fail: 'The following failures happened: no disks',
    });
    await setup.harness.provision(node.uuid, { target: 'inspect' });
    await setup.harness.advance(60_000);
    expect(await setup.harness.node(node.uuid)).toMatchObject({
      provision_state: 'inspect failed',
      target_provision_state: 'manageable',
      last_error: 'discoverd inspection failed: The following failures happened: no disks',
      properties: {},
    });
    expect(setup.inspect.stats).toMatchObject({ failed: 1, succeeded: 0 });
    expect(setup.simulator.stats.byRoute['GET /v1/introspection/{node_id}/data']).toBeUndefined();
  });

  it('aborts in discoverd and fails the node once inspect_wait_timeout passes without a result', async () => {
    setup = await startSetup({ inspect_wait_timeout: 600 });
    const node = await manageableNode();
    // Discoverd waits for the ramdisk from 300 s to 2400 s: at 600 s it accepts an abort.
    setup.simulator.configureNode(node.uuid, { durationMs: 3_000_000 });
    await setup.harness.provision(node.uuid, { target: 'inspect' });

    await advancePeriods(setup.harness, 9);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('inspect wait');
    expect(setup.simulator.stats.aborted).toBe(0);

    await setup.harness.advance(60_000);
    const failed = await setup.harness.node(node.uuid);
    expect(failed).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'timeout reached while inspecting the node: discoverd reported no result within 600 s',
    });
    expect(failed.driver_internal_info.inspection_started_at).toBeUndefined();
    expect(setup.simulator.stats.aborted).toBe(1);
    expect(setup.simulator.introspection(node.uuid)).toMatchObject({ state: 'error', error: ABORT_MESSAGE });
    expect(setup.inspect.stats).toMatchObject({ timedOut: 1, failed: 1, abortErrors: 0 });
  });

  it('fails a timed-out node even when discoverd refuses the abort, logging the refusal', async () => {
    setup = await startSetup({ inspect_wait_timeout: 120 });
    const node = await manageableNode();
    // "processing" at 120 s (from 80 % of 140 s): discoverd holds its lock and answers the abort with 409.
    setup.simulator.configureNode(node.uuid, { durationMs: 140_000 });
    await setup.harness.provision(node.uuid, { target: 'inspect' });
    await advancePeriods(setup.harness, 2);
    expect(await setup.harness.node(node.uuid)).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'timeout reached while inspecting the node: discoverd reported no result within 120 s',
    });
    expect(setup.inspect.stats).toMatchObject({ timedOut: 1, abortErrors: 1 });
    const refusal = setup.logs.find((entry) => entry.level === WARN && entry.node === node.uuid);
    expect(refusal).toMatchObject({
      msg: 'discoverd did not abort the timed-out inspection',
      err: { message: 'discoverd answered HTTP 409: Node is locked, please, retry later' },
    });
  });

  it('leaves the node in inspect wait while discoverd answers 500, drops the connection or is too slow, then finishes', async () => {
    // Every request of the driver has this timeout: long enough for a loopback answer on a busy
    // machine, short beside the slow fault's hour.
    setup = await startSetup({ request_timeout: 1 });
    const node = await manageableNode();
    const durationMs = 30_000;
    setup.simulator.configureNode(node.uuid, { durationMs });
    await setup.harness.provision(node.uuid, { target: 'inspect' });

    const faults = [{ serverError: true }, { closeConnection: true }, { responseDelayMs: 3_600_000 }];
    for (const [index, fault] of faults.entries()) {
      setup.simulator.configureNode(node.uuid, { durationMs, ...fault });
      await setup.harness.advance(60_000);
      expect(await setup.harness.node(node.uuid)).toMatchObject({
        provision_state: 'inspect wait',
        last_error: null,
        reservation: null,
      });
      expect(setup.inspect.stats.pollErrors).toBe(index + 1);
    }
    const warnings = setup.logs.filter((entry) => entry.level === WARN && entry.node === node.uuid);
    expect(warnings.map((entry) => entry.msg)).toEqual(
      Array(3).fill('checking inspection status with discoverd failed; will retry next period'),
    );
    expect(warnings[0]?.err?.message).toBe('discoverd answered HTTP 500: Internal server error');
    expect(warnings[1]?.err?.message).toMatch(`discoverd at ${setup.simulator.url} could not be reached: `);
    // pino's serializer appends the cause's message (undici's) after the error's own.
    expect(warnings[2]?.err?.message).toMatch(
      `discoverd at ${setup.simulator.url} could not be reached: no answer within 1 s`,
    );

    setup.simulator.configureNode(node.uuid, { durationMs });
    await setup.harness.advance(60_000);
    expect(await setup.harness.node(node.uuid)).toMatchObject({
      provision_state: 'manageable',
      properties: { cpus: 8, cpu_arch: 'x86_64', memory_mb: 32_768, local_gb: 479 },
    });
  });

  it('fails the node when discoverd does not know it (404)', async () => {
    setup = await startSetup();
    // In inspect wait for this conductor, never started in discoverd: as after discoverd lost its cache.
    const node = await setup.harness.createNode({
      driver: 'discoverd',
      provision_state: 'inspect wait',
      target_provision_state: 'manageable',
      driver_internal_info: { inspection_started_at: iso(HARNESS_EPOCH) },
    });
    await setup.harness.advance(60_000);
    expect(await setup.harness.node(node.uuid)).toMatchObject({
      provision_state: 'inspect failed',
      last_error: `discoverd lost the node: HTTP 404: Could not find node ${node.uuid} in cache`,
    });
    expect(setup.inspect.stats).toMatchObject({ lost: 1, failed: 1 });
  });

  it("fails the inspection at once, saying so, when discoverd's Ironic does not know the node", async () => {
    setup = await startSetup();
    const node = await manageableNode();
    setup.hideFromIronic(node.uuid);
    const failed = await setup.harness.provision(node.uuid, { target: 'inspect' });
    expect(failed).toMatchObject({
      provision_state: 'inspect failed',
      last_error:
        `Failed to inspect hardware. Reason: discoverd does not know node ${node.uuid} in the Ironic API it ` +
        `looks nodes up in (Node ${node.uuid} was not found in Ironic); point discoverd's [ironic] section at ` +
        "this conductor's API",
    });
    expect(setup.simulator.introspection(node.uuid)).toBeUndefined();
    expect(setup.inspect.stats).toMatchObject({ started: 0, startErrors: 1 });
  });

  it('fails a waiting node that discoverd dropped at its sync with Ironic, instead of waiting forever', async () => {
    setup = await startSetup();
    const node = await manageableNode();
    setup.simulator.configureNode(node.uuid, { durationMs: 600_000 });
    await setup.harness.provision(node.uuid, { target: 'inspect' });
    await setup.harness.advance(60_000);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('inspect wait');
    // discoverd's Ironic stops listing the node: its next periodic sync drops it from the cache.
    setup.hideFromIronic(node.uuid);
    await setup.harness.advance(60_000);
    expect(setup.simulator.droppedBySync).toBe(1);
    expect(await setup.harness.node(node.uuid)).toMatchObject({
      provision_state: 'inspect failed',
      last_error: `discoverd lost the node: HTTP 404: Could not find node ${node.uuid} in cache`,
      reservation: null,
    });
    expect(setup.inspect.stats).toMatchObject({ lost: 1, failed: 1 });
  });

  it('counts the timeout from the last state change when no start was recorded', async () => {
    setup = await startSetup({ inspect_wait_timeout: 300 });
    const node = await setup.harness.createNode({
      driver: 'discoverd',
      provision_state: 'inspect wait',
      target_provision_state: 'manageable',
    });
    setup.simulator.configureNode(node.uuid, { durationMs: 3_600_000 });
    await setup.inspect.client.startIntrospection(node.uuid);
    await advancePeriods(setup.harness, 4);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('inspect wait');
    await setup.harness.advance(60_000);
    expect(await setup.harness.node(node.uuid)).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'timeout reached while inspecting the node: discoverd reported no result within 300 s',
    });
  });

  it('fails the inspection at once, saying so, when discoverd cannot be reached to start it', async () => {
    const url = await deadUrl();
    setup = await startSetup({ discoverd_url: url });
    const node = await manageableNode();
    const failed = await setup.harness.provision(node.uuid, { target: 'inspect' });
    expect(failed.provision_state).toBe('inspect failed');
    expect(failed.last_error).toMatch(
      new RegExp(`^Failed to inspect hardware\\. Reason: discoverd at ${url} could not be reached: .+`),
    );
    expect(failed.driver_internal_info.inspection_started_at).toBeUndefined();
    expect(setup.inspect.stats).toMatchObject({ started: 0, startErrors: 1 });
  });

  it('fails the start with discoverd’s message when it refuses (5xx) to start', async () => {
    setup = await startSetup();
    const node = await manageableNode();
    setup.simulator.configureNode(node.uuid, { serverError: true });
    expect(await setup.harness.provision(node.uuid, { target: 'inspect' })).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'Failed to inspect hardware. Reason: discoverd answered HTTP 500: Internal server error',
    });
  });

  it('aborts an inspection in discoverd on the abort verb', async () => {
    setup = await startSetup();
    const node = await manageableNode();
    setup.simulator.configureNode(node.uuid, { durationMs: 600_000 });
    await setup.harness.provision(node.uuid, { target: 'inspect' });
    // Past the "starting" tenth, when discoverd accepts an abort.
    await setup.harness.advance(120_000);
    const aborted = await setup.harness.provision(node.uuid, { target: 'abort' });
    expect(aborted).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'Inspection was aborted by request.',
    });
    expect(aborted.driver_internal_info.inspection_started_at).toBeUndefined();
    expect(setup.simulator.stats.aborted).toBe(1);
    await setup.harness.advance(60_000);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('inspect failed');
  });

  it('refuses a node whose uuid discoverd cannot address, changing nothing', async () => {
    setup = await startSetup();
    await setup.harness.createNode({
      uuid: 'not-a-uuid',
      driver: 'discoverd',
      provision_state: 'manageable',
    });
    await expect(setup.harness.provision('not-a-uuid', { target: 'inspect' })).rejects.toThrow(
      'Node not-a-uuid cannot be inspected by discoverd: its uuid is not a UUID',
    );
    expect((await setup.harness.node('not-a-uuid')).provision_state).toBe('manageable');
    expect(setup.simulator.stats.requests).toBe(0);
  });

  it('visits only nodes in inspect wait of drivers using the interface, every status_check_period', async () => {
    setup = await startSetup({ status_check_period: 30 });
    const task = setup.harness.tasks.find((candidate) => candidate.name === CHECK_INSPECT_STATUS_TASK);
    expect(task?.options.spacing).toBe(30_000);
    const other = await setup.harness.createNode({ driver: 'discoverd', provision_state: 'manageable' });
    const node = await manageableNode();
    setup.simulator.configureNode(node.uuid, { durationMs: 45_000 });
    await setup.harness.provision(node.uuid, { target: 'inspect' });
    await setup.harness.advance(30_000);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('inspect wait');
    await setup.harness.advance(30_000);
    expect((await setup.harness.node(node.uuid)).provision_state).toBe('manageable');
    expect(setup.simulator.stats.byRoute['GET /v1/introspection/{node_id}']).toBe(2);
    expect(setup.simulator.introspection(other.uuid)).toBeUndefined();
  });
});

describe('two drivers composing the interface', () => {
  it('checks each node with its own driver’s discoverd', async () => {
    // Both drivers use the DiscoverdInspect class, so there is one sweep; each node must still be polled
    // at its own driver's URL. A second package under another name shares the same create().
    const { startDiscoverdSimulator } = await import('@ironic/simulators');
    const { ManualClock } = await import('@ironic/periodic-core');
    const clock = new ManualClock(HARNESS_EPOCH);
    const first = await startDiscoverdSimulator({ clock });
    const second = await startDiscoverdSimulator({ clock });
    const secondDriver = {
      ...discoverdDriver,
      name: 'discoverd-b',
      create: async (...args: Parameters<typeof discoverdDriver.create>) => ({
        ...(await discoverdDriver.create(...args)),
        name: 'discoverd-b',
      }),
    };
    const harness = await createDriverHarness({
      clock,
      drivers: [
        { package: discoverdDriver, options: { discoverd_url: first.url } },
        { package: secondDriver, options: { discoverd_url: second.url } },
      ],
    });
    const ironic = await ironicOver(harness);
    first.setIronicUrl(ironic.url);
    second.setIronicUrl(ironic.url);
    try {
      expect(harness.tasks.map((task) => task.name)).toEqual([CHECK_INSPECT_STATUS_TASK]);
      const a = await harness.createNode({
        uuid: randomUUID(),
        driver: 'discoverd',
        provision_state: 'manageable',
      });
      const b = await harness.createNode({
        uuid: randomUUID(),
        driver: 'discoverd-b',
        provision_state: 'manageable',
      });
      await harness.provision(a.uuid, { target: 'inspect' });
      await harness.provision(b.uuid, { target: 'inspect' });
      await harness.advance(60_000);
      expect((await harness.node(a.uuid)).provision_state).toBe('manageable');
      expect((await harness.node(b.uuid)).provision_state).toBe('manageable');
      expect(first.introspection(b.uuid)).toBeUndefined();
      expect(second.introspection(a.uuid)).toBeUndefined();
      expect(second.stats.byRoute['GET /v1/introspection/{node_id}']).toBe(1);
    } finally {
      await harness.close();
      await first.close();
      await second.close();
      await ironic.close();
    }
  });
});
