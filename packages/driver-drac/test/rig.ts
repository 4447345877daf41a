import type { JsonObject, Node, NodeSweepTask } from '@ironic/driver-base';
import { createDriverHarness, type DriverHarness, HARNESS_EPOCH } from '@ironic/driver-base/testing';
import { ManualClock } from '@ironic/periodic-core';
import {
  type AddBmcOptions,
  type RedfishFleet,
  type SimulatedBmc,
  startRedfishFleet,
} from '@ironic/simulators';
import dracDriver, { type DracDriver, type DracOptionsInput } from '../src/index.js';

/** A RAID-1 root volume over whatever two disks the driver picks. */
export const RAID1_ROOT: JsonObject = {
  logical_disks: [{ size_gb: 'MAX', raid_level: '1', is_root_volume: true }],
};

/** Ironic's RAID clean steps, as an operator runs them. */
export const RAID_CLEAN_STEPS = [
  { interface: 'raid', step: 'delete_configuration' },
  { interface: 'raid', step: 'create_configuration' },
];

/** The drac driver in the testing harness and a fleet of simulated iDRACs, on one fake clock. */
export interface DracRig {
  readonly clock: ManualClock;
  readonly harness: DriverHarness;
  readonly fleet: RedfishFleet;
  readonly driver: DracDriver;
  /** The sweep of `DracRAID.checkRaidConfigJobs`, with its counters. */
  readonly sweep: NodeSweepTask;
  /** Starts a BMC and enrolls a `manageable` node pointing at it. */
  addNode(
    name: string,
    bmc?: AddBmcOptions,
    node?: Partial<Node>,
  ): Promise<{ bmc: SimulatedBmc; node: Node }>;
  close(): Promise<void>;
}

/** `driver_info` that reaches this BMC. */
export function driverInfoFor(bmc: SimulatedBmc): JsonObject {
  return { redfish_address: bmc.url, redfish_username: bmc.username, redfish_password: bmc.password };
}

export async function startRig(options: DracOptionsInput = {}): Promise<DracRig> {
  const clock = new ManualClock(HARNESS_EPOCH);
  const fleet = await startRedfishFleet({ clock });
  const harness = await createDriverHarness({ drivers: [{ package: dracDriver, options }], clock });
  const driver = harness.drivers.get('drac') as DracDriver;
  const sweep = harness.tasks.find((task) => task.name === 'DracRAID.checkRaidConfigJobs') as NodeSweepTask;
  return {
    clock,
    harness,
    fleet,
    driver,
    sweep,
    async addNode(name, bmcOptions = {}, node = {}) {
      const bmc = await fleet.addBmc({ id: name, ...bmcOptions });
      const created = await harness.createNode({
        name,
        driver: 'drac',
        provision_state: 'manageable',
        target_raid_config: RAID1_ROOT,
        ...node,
        driver_info: { ...driverInfoFor(bmc), ...node.driver_info },
      });
      return { bmc, node: created };
    },
    async close() {
      await harness.close();
      await fleet.close();
    },
  };
}
