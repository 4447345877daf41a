import { randomBytes } from 'node:crypto';
import type { Node } from '@ironic/driver-base';
import { ManualClock } from '@ironic/periodic-core';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '@ironic/simulators';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { SYNC_POWER_STATES_TASK } from '../../src/power/power-state-sync.js';
import { advanceByTimers } from '../support/advance-clock.js';
import { TEST_EPOCH } from '../support/test-conductor.js';
import { POSTGRES_URL, postgresReachable } from '../support/test-databases.js';
import { type PowerRig, SYSTEM_GET, startPowerRig } from './support/power-rig.js';

const postgresUp = await postgresReachable();
const NODES = 40;
const INTERVAL = 60;
const HEARTBEAT = 10;

describe.skipIf(!postgresUp)('conductor.syncPowerStates with two conductors on one PostgreSQL', () => {
  const schema = `power_sync_${randomBytes(6).toString('hex')}`;
  const clock = new ManualClock(TEST_EPOCH);
  let fleet: RedfishFleet;
  let conductors: PowerRig[] = [];
  const fleetNodes: Array<{ bmc: SimulatedBmc; node: Node }> = [];

  /** Moves the shared clock and waits for both conductors' runs to finish. */
  const advance = (seconds: number) =>
    advanceByTimers(clock, seconds * 1000, () =>
      Promise.all(conductors.map((rig) => rig.conductor.worker.idle())),
    );

  beforeAll(async () => {
    fleet = await startRedfishFleet({ clock });
    const start = (id: string) =>
      startPowerRig({
        clock,
        fleet,
        database: { url: POSTGRES_URL, schema },
        conductor: { id, sync_power_state_interval: INTERVAL, heartbeat_interval: HEARTBEAT },
      });
    // One after the other: the second one's start applies no migration the first one is applying.
    conductors = [await start('power-a'), await start('power-b')];
    // The first one learns of the second at its next membership refresh.
    await advance(HEARTBEAT);
    const [a] = conductors as [PowerRig];
    for (let i = 0; i < NODES; i++) {
      fleetNodes.push(
        await a.addNode(`node-${i}`, { powerState: i % 2 ? 'On' : 'Off' }, { power_state: null }),
      );
    }
  });
  afterAll(async () => {
    for (const rig of conductors) await rig.close();
    await fleet?.close();
    const cleanup = await createDatabase({ url: POSTGRES_URL });
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(cleanup.db);
    await cleanup.close();
  });

  it('has each node synced once per sweep, by the conductor owning it on the hash ring only', async () => {
    const [a, b] = conductors as [PowerRig, PowerRig];
    const ownerOf = (node: Node) => {
      const owner = a.conductor.membership.ownerOf(node);
      expect(b.conductor.membership.ownerOf(node), 'both conductors agree on the owner').toBe(owner);
      return owner === 'power-a' ? a : b;
    };
    const owned = new Map<PowerRig, number>([
      [a, 0],
      [b, 0],
    ]);
    for (const { node } of fleetNodes) owned.set(ownerOf(node), (owned.get(ownerOf(node)) ?? 0) + 1);
    expect(owned.get(a)).toBeGreaterThan(0);
    expect(owned.get(b)).toBeGreaterThan(0);

    await advance(INTERVAL - HEARTBEAT);
    for (const { bmc, node } of fleetNodes) {
      expect(bmc.stats.byRoute[SYSTEM_GET], node.name ?? '').toBe(1);
      expect(bmc.stats.sessionsCreated).toBe(1);
      expect((await a.node(node.uuid)).power_state).toBe(bmc.powerState === 'On' ? 'power on' : 'power off');
      const owner = ownerOf(node);
      const other = owner === a ? b : a;
      expect(owner.logsOf(node.uuid, SYNC_POWER_STATES_TASK)).toHaveLength(1);
      expect(other.logsOf(node.uuid, SYNC_POWER_STATES_TASK)).toEqual([]);
    }
    for (const rig of [a, b]) {
      // Each conductor logged in to the BMCs of its own nodes, and visited nothing else.
      expect(rig.driver.redfish.stats.clients).toBe(owned.get(rig));
      expect(rig.conductor.power.sync.stats.figures.lastSweep).toMatchObject({
        checked: owned.get(rig),
        changed: owned.get(rig),
        failed: 0,
      });
    }

    await advance(INTERVAL);
    for (const { bmc } of fleetNodes) expect(bmc.stats.byRoute[SYSTEM_GET]).toBe(2);
    for (const rig of [a, b]) {
      expect(rig.conductor.power.sync.stats.figures.lastSweep).toMatchObject({
        checked: owned.get(rig),
        changed: 0,
      });
    }
  });
});
