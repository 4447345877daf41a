import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POWER_FAILURE_RECOVERY_TASK } from '../../src/power/power-failure-recovery.js';
import { SYNC_POWER_STATES_TASK } from '../../src/power/power-state-sync.js';
import { type PowerRig, SYSTEM_GET, startPowerRig } from './support/power-rig.js';

const RECOVERY_INTERVAL = 300;

describe('conductor.checkPowerFailureRecovery, with the sync off', () => {
  let rig: PowerRig;
  beforeAll(async () => {
    rig = await startPowerRig({
      conductor: { sync_power_state_interval: 0, power_failure_recovery_interval: RECOVERY_INTERVAL },
    });
  });
  afterAll(async () => {
    await rig.close();
  });

  const failed = {
    maintenance: true,
    fault: 'power failure',
    maintenance_reason: 'During sync_power_state, max retries exceeded ...',
    power_state: null,
  } as const;

  it('takes a node out of maintenance once its BMC answers again, recording its state, with a log line', async () => {
    const { bmc, node } = await rig.addNode('back', { powerState: 'On' }, failed);
    bmc.setUnreachable(true);
    await rig.advance(RECOVERY_INTERVAL);
    expect(await rig.node('back')).toMatchObject(failed);
    const [debug] = rig.logsOf(node.uuid, POWER_FAILURE_RECOVERY_TASK);
    expect(debug?.msg).toContain(
      `During power_failure_recovery, could not get power state for node ${node.uuid}`,
    );

    bmc.setUnreachable(false);
    await rig.advance(RECOVERY_INTERVAL);
    expect(await rig.node('back')).toMatchObject({
      maintenance: false,
      fault: null,
      maintenance_reason: null,
      power_state: 'power on',
    });
    const info = rig.logsOf(node.uuid, POWER_FAILURE_RECOVERY_TASK).find((line) => line.level === 30);
    expect(info).toMatchObject({ stored: null, actual: 'power on' });
    expect(info?.msg).toBe(
      `Node ${node.uuid} is recovered from power failure with actual power state 'power on'.`,
    );
    expect(rig.conductor.power.recovery.figures.recovered).toBeGreaterThanOrEqual(1);
  });

  it('leaves nodes in maintenance for another reason, in enroll, or with a power action in flight', async () => {
    const others = [
      await rig.addNode(
        'operator',
        { powerState: 'On' },
        { maintenance: true, maintenance_reason: 'rack move' },
      ),
      await rig.addNode('enrolled', { powerState: 'On' }, { ...failed, provision_state: 'enroll' }),
      await rig.addNode('acting', { powerState: 'On' }, { ...failed, target_power_state: 'power on' }),
    ];
    await rig.advance(RECOVERY_INTERVAL);
    for (const { bmc, node } of others) {
      expect(bmc.stats.requests, node.name ?? '').toBe(0);
      expect((await rig.node(node.uuid)).maintenance).toBe(true);
    }
  });

  it('with sync_power_state_interval 0 the sync never runs', async () => {
    const { bmc } = await rig.addNode('unknown', { powerState: 'On' }, { power_state: null });
    await rig.advance(2 * RECOVERY_INTERVAL);
    expect(bmc.stats.byRoute[SYSTEM_GET]).toBeUndefined();
    expect((await rig.node('unknown')).power_state).toBeNull();
    expect(rig.conductor.worker.stats(SYNC_POWER_STATES_TASK)).toMatchObject({ enabled: false, runs: 0 });
  });

  it('has leaving maintenance through the API clear the fault with the maintenance reason, as Ironic does', async () => {
    const { node } = await rig.addNode(
      'mended',
      { powerState: 'On' },
      {
        maintenance: true,
        fault: 'power failure',
        maintenance_reason: 'During sync_power_state, max retries exceeded ...',
      },
    );
    const patched = await rig.conductor.api.inject({
      method: 'PATCH',
      url: `/v1/nodes/${node.uuid}`,
      headers: { 'content-type': 'application/json' },
      payload: [{ op: 'replace', path: '/maintenance', value: false }],
    });
    expect(patched.statusCode).toBe(200);
    expect(await rig.node(node.uuid)).toMatchObject({
      maintenance: false,
      maintenance_reason: null,
      fault: null,
    });
  });
});
