import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_POWER_STATES_TASK } from '../../src/power/power-state-sync.js';
import { type PowerRig, type PowerRigOptions, SYSTEM_GET, startPowerRig } from './support/power-rig.js';

const INTERVAL = 60;
const WARN = 40;
const ERROR = 50;

/**
 * One conductor per describe block (a start costs seconds on a loaded machine): each test makes nodes
 * and BMCs of its own and asserts on them only, whatever else the sweeps visit.
 */
function sharedRig(options: PowerRigOptions = {}): () => PowerRig {
  let rig: PowerRig | undefined;
  beforeAll(async () => {
    rig = await startPowerRig({
      ...options,
      conductor: { sync_power_state_interval: INTERVAL, ...options.conductor },
    });
  });
  afterAll(async () => {
    await rig?.close();
  });
  return () => rig as PowerRig;
}

describe('conductor.syncPowerStates against simulated iDRACs', () => {
  // Recovery off here: a node the sync put in maintenance stays there.
  const rig = sharedRig({
    conductor: { power_failure_recovery_interval: 0, power_state_sync_max_retries: 3 },
  });

  it('records the state of a node whose stored state is unknown, writes only changed nodes, then costs one GET per node', async () => {
    const r = rig();
    const unknown = await r.addNode('unknown', { powerState: 'On' }, { power_state: null });
    const steady = await r.addNode('steady', { powerState: 'Off' }, { power_state: 'power off' });
    await r.advance(INTERVAL);

    expect(await r.node('unknown')).toMatchObject({ power_state: 'power on', target_power_state: null });
    expect(await r.node('steady')).toMatchObject({ power_state: 'power off', updated_at: null });
    const [recorded] = r.logsOf(unknown.node.uuid, SYNC_POWER_STATES_TASK);
    expect(recorded).toMatchObject({ stored: null, actual: 'power on' });
    expect(recorded?.msg).toContain('has no previous known state');
    expect(r.logsOf(steady.node.uuid, SYNC_POWER_STATES_TASK)).toEqual([]);

    // Logged in now: each further sweep reads each node with exactly one request, and writes nothing.
    const before = [unknown.bmc.stats, steady.bmc.stats];
    const updatedAt = (await r.node('unknown')).updated_at;
    await r.advance(INTERVAL);
    await r.advance(INTERVAL);
    for (const [index, { bmc }] of [unknown, steady].entries()) {
      const previous = before[index]!;
      expect(bmc.stats.requests - previous.requests).toBe(2);
      expect((bmc.stats.byRoute[SYSTEM_GET] ?? 0) - (previous.byRoute[SYSTEM_GET] ?? 0)).toBe(2);
      expect(bmc.stats.sessionsCreated).toBe(1);
    }
    expect((await r.node('unknown')).updated_at).toBe(updatedAt);
    expect((await r.node('steady')).updated_at).toBeNull();
  });

  it('powers a node back to its stored state, logging both states, and forgets the failure once in sync', async () => {
    const r = rig();
    const { bmc, node } = await r.addNode('drifted', { powerState: 'Off' }, { power_state: 'power on' });
    const resets: string[] = [];
    bmc.events.on('power', (state, resetType) => resets.push(`${resetType}:${state}`));
    await r.advance(INTERVAL);

    expect(resets).toEqual(['On:On']);
    expect(await r.node('drifted')).toMatchObject({
      power_state: 'power on',
      target_power_state: null,
      maintenance: false,
      last_error: null,
    });
    const warning = r.logsOf(node.uuid, SYNC_POWER_STATES_TASK).find((line) => line.level === WARN);
    expect(warning).toMatchObject({ stored: 'power on', actual: 'power off' });
    expect(warning?.msg).toContain("Changing hardware state to 'power on'");
    expect(r.conductor.power.sync.failureCounts.get(node.uuid)).toBe(1);

    await r.advance(INTERVAL);
    expect(resets).toEqual(['On:On']);
    expect(r.conductor.power.sync.failureCounts.has(node.uuid)).toBe(false);
  });

  it('puts a node that keeps drifting in maintenance after power_state_sync_max_retries sweeps, with fault power failure', async () => {
    const r = rig();
    const { bmc, node } = await r.addNode('flapping', { powerState: 'Off' }, { power_state: 'power on' });
    for (let sweep = 1; sweep <= 3; sweep++) {
      await r.advance(INTERVAL);
      expect(bmc.powerState).toBe('On');
      expect(await r.node('flapping')).toMatchObject({ maintenance: false, fault: null });
      expect(r.conductor.power.sync.failureCounts.get(node.uuid)).toBe(sweep);
      bmc.pushPowerButton(); // someone turns it off again
    }
    await r.advance(INTERVAL);
    expect(bmc.powerState).toBe('Off');
    const given = await r.node('flapping');
    expect(given).toMatchObject({ maintenance: true, fault: 'power failure', power_state: 'power off' });
    expect(given.maintenance_reason).toBe(
      `During sync_power_state, max retries exceeded for node ${node.uuid}, node state power off does not match ` +
        "expected state 'power on'. Updating DB state to 'power off' Switching node to maintenance mode.",
    );
    expect(given.last_error).toBe(given.maintenance_reason);
    const error = r.logsOf(node.uuid, SYNC_POWER_STATES_TASK).find((line) => line.level === ERROR);
    expect(error).toMatchObject({ stored: 'power on', actual: 'power off', fault: 'power failure' });
    expect(r.conductor.power.sync.failureCounts.has(node.uuid)).toBe(false);

    // In maintenance, the sync leaves it alone.
    const reads = bmc.stats.byRoute[SYSTEM_GET];
    await r.advance(INTERVAL);
    expect(bmc.stats.byRoute[SYSTEM_GET]).toBe(reads);
  });

  it('retries a BMC that does not answer, then gives up with a reason naming the error', async () => {
    const r = rig();
    const { bmc, node } = await r.addNode('silent', { powerState: 'On' }, { power_state: 'power on' });
    await r.advance(INTERVAL); // logged in while it answers
    bmc.setUnreachable(true);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await r.advance(INTERVAL);
      expect((await r.node('silent')).maintenance).toBe(false);
      const warnings = r.logsOf(node.uuid, SYNC_POWER_STATES_TASK).filter((line) => line.level === WARN);
      expect(warnings).toHaveLength(attempt);
      expect(warnings.at(-1)?.msg).toContain(`attempt ${attempt} of 3`);
    }
    await r.advance(INTERVAL);
    const given = await r.node('silent');
    expect(given).toMatchObject({ maintenance: true, fault: 'power failure', power_state: null });
    expect(given.maintenance_reason).toContain(
      `During sync_power_state, max retries exceeded for node ${node.uuid}, node state null does not match expected state 'power on'.`,
    );
    expect(given.maintenance_reason).toMatch(/ Error: .*127\.0\.0\.1/);
  });

  it('leaves alone nodes in enroll, clean wait, wait call-back, in maintenance, reserved, or with a power action in flight', async () => {
    const r = rig();
    const drifted = { powerState: 'Off' } as const;
    const left = [
      await r.addNode('enroll', drifted, { provision_state: 'enroll', power_state: 'power on' }),
      await r.addNode('clean-wait', drifted, { provision_state: 'clean wait', power_state: 'power on' }),
      await r.addNode('deploy-wait', drifted, { provision_state: 'wait call-back', power_state: 'power on' }),
      await r.addNode('maintenance', drifted, { maintenance: true, power_state: 'power on' }),
      await r.addNode('acting', drifted, { power_state: 'power on', target_power_state: 'power off' }),
      await r.addNode('reserved', drifted, { power_state: 'power on' }),
    ];
    expect((await r.conductor.repository.reserve('reserved', 'another-conductor')).status).toBe('reserved');
    const synced = await r.addNode('active', drifted, { provision_state: 'active', power_state: 'power on' });
    await r.advance(INTERVAL);
    await r.advance(INTERVAL);

    for (const { bmc, node } of left) {
      expect(bmc.stats.byRoute[SYSTEM_GET], node.name ?? '').toBeUndefined();
      expect(bmc.powerState).toBe('Off');
      expect(await r.node(node.uuid)).toMatchObject({
        power_state: 'power on',
        maintenance: node.maintenance,
      });
    }
    expect(synced.bmc.powerState).toBe('On');
    // Two sweeps, and the power action's reads before and after its reset.
    expect(synced.bmc.stats.byRoute[SYSTEM_GET]).toBe(4);
  });

  it('never sends a BMC more requests at once than the driver\u2019s per-BMC bound, while other BMCs proceed in parallel', async () => {
    const r = rig();
    expect(r.driver.limiter.maxPerBmc).toBe(1);
    // Four nodes behind one BMC that serves one request at a time (503 beyond), four on BMCs of their own.
    const slow = { powerState: 'On', maxConcurrentRequests: 1, responseDelayMs: 300 } as const;
    const shared = await r.fleet.addBmc({ id: 'chassis', ...slow });
    const blades = [];
    for (let i = 0; i < 4; i++) blades.push(await r.addNode(`blade-${i}`, shared, { power_state: null }));
    const alone = [];
    for (let i = 0; i < 4; i++) alone.push(await r.addNode(`solo-${i}`, slow, { power_state: null }));
    // Requests in flight to these five BMCs together, as the BMCs see them.
    const bmcs = [shared, ...alone.map(({ bmc }) => bmc)];
    let inFlight = 0;
    let peak = 0;
    for (const bmc of bmcs) {
      bmc.events.on('received', () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
      });
      bmc.events.on('request', () => {
        inFlight -= 1;
      });
    }
    await r.advance(INTERVAL);

    expect(shared.stats.maxConcurrencySeen).toBe(1);
    expect(shared.stats.rejected503).toBe(0);
    expect(shared.stats.byRoute[SYSTEM_GET]).toBe(4);
    for (const bmc of bmcs) expect(bmc.stats.rejected503).toBe(0);
    for (const { node } of [...blades, ...alone])
      expect((await r.node(node.uuid)).power_state).toBe('power on');
    expect(r.driver.limiter.stats.peakPerBmc).toBe(1);
    // The sync ran several nodes at once: the bound is per BMC, not a queue for the whole sweep.
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(5);
    for (const bmc of bmcs) bmc.setResponseDelay(0);
  });
});

describe('conductor.syncPowerStates with force_power_state_during_sync false and a short request timeout', () => {
  const rig = sharedRig({
    conductor: { force_power_state_during_sync: false },
    drac: { request_timeout: 2 },
  });

  it('records the BMC\u2019s state instead of powering the node back', async () => {
    const r = rig();
    const { bmc, node } = await r.addNode('drifted', { powerState: 'Off' }, { power_state: 'power on' });
    await r.advance(INTERVAL);
    expect(bmc.powerState).toBe('Off');
    expect((await r.node('drifted')).power_state).toBe('power off');
    const warning = r.logsOf(node.uuid, SYNC_POWER_STATES_TASK).find((line) => line.level === WARN);
    expect(warning).toMatchObject({ stored: 'power on', actual: 'power off' });
    expect(warning?.msg).toContain("Updating recorded state to 'power off'");
  });

  it('gives a read up after the driver\u2019s request timeout and counts it failed', async () => {
    const r = rig();
    // A BMC that would take half a minute to answer anything.
    const { node } = await r.addNode(
      'slow',
      { powerState: 'On', responseDelayMs: 30_000 },
      { power_state: 'power on' },
    );
    const failedBefore = r.conductor.power.sync.stats.figures.totals.failed;
    await r.advance(INTERVAL);
    expect(r.conductor.power.sync.stats.figures.totals.failed - failedBefore).toBe(1);
    const [warning] = r.logsOf(node.uuid, SYNC_POWER_STATES_TASK).filter((line) => line.level === WARN);
    expect(warning?.msg).toContain('attempt 1 of 3');
    expect(r.conductor.power.sync.failureCounts.get(node.uuid)).toBe(1);
  });
});

describe('conductor.syncPowerStates: figures and shutdown', () => {
  const rig = sharedRig();

  it('shows its figures in /v1/periodic-tasks and /metrics', async () => {
    const r = rig();
    await r.addNode('unknown', { powerState: 'On' }, { power_state: null });
    await r.addNode('steady', { powerState: 'Off' }, { power_state: 'power off' });
    await r.advance(INTERVAL);
    const { periodic_tasks: tasks } = (await r.conductor.api.inject({ url: '/v1/periodic-tasks' })).json();
    const sync = tasks.find((task: { name: string }) => task.name === SYNC_POWER_STATES_TASK);
    expect(sync).toMatchObject({
      enabled: true,
      spacing: INTERVAL,
      runs: 1,
      drivers: ['drac'],
      sweep: { runs: 1, visited: 2, handled: 2, errors: 0 },
      power_sync: {
        sweeps: 1,
        last_sweep: { checked: 2, changed: 1, failed: 0, maintenance: 0 },
        totals: { checked: 2, changed: 1, failed: 0, maintenance: 0 },
      },
    });
    expect(sync.power_sync.last_sweep.duration).toBeGreaterThan(0);
    expect(Date.parse(sync.power_sync.last_sweep.finished_at)).toBe(r.clock.now());
    const recovery = tasks.find(
      (task: { name: string }) => task.name === 'conductor.checkPowerFailureRecovery',
    );
    expect(recovery).toMatchObject({ spacing: 300, power_failure_recovery: { checked: 0, recovered: 0 } });

    const metrics = (await r.conductor.api.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('ironic_power_sync_sweeps_total 1');
    expect(metrics).toContain('ironic_power_sync_nodes_total{outcome="checked"} 2');
    expect(metrics).toContain('ironic_power_sync_nodes_total{outcome="changed"} 1');
    expect(metrics).toContain('ironic_power_sync_nodes_total{outcome="failed"} 0');
    expect(metrics).toContain('ironic_power_sync_last_sweep_nodes{outcome="checked"} 2');
    expect(metrics).toMatch(/ironic_power_sync_last_sweep_duration_seconds \d/);
    expect(metrics).toContain(
      `ironic_node_sweep_nodes_total{task="${SYNC_POWER_STATES_TASK}",outcome="visited"} 2`,
    );
    expect(metrics).toContain('ironic_power_failure_recovery_nodes_total{outcome="recovered"} 0');
  });

  it('logs out of every BMC when the conductor stops', async () => {
    const r = rig();
    const { bmc } = await r.addNode('one', { powerState: 'On' }, { power_state: null });
    await r.advance(INTERVAL);
    expect(bmc.sessions).toHaveLength(1);
    await r.conductor.stop({ timeout: 5_000 });
    for (const each of r.fleet.bmcs) expect(each.sessions).toHaveLength(0);
  });
});
