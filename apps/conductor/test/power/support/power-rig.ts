import type { NewNode, Node } from '@ironic/driver-base';
import type { DracDriver, DracOptionsInput } from '@ironic/driver-drac';
import { ManualClock } from '@ironic/periodic-core';
import {
  type AddBmcOptions,
  type RedfishFleet,
  type SimulatedBmc,
  startRedfishFleet,
} from '@ironic/simulators';
import pino from 'pino';
import { type Conductor, createConductor } from '../../../src/conductor.js';
import { defineConfig } from '../../../src/config/load-config.js';
import type { ConductorConfigInput } from '../../../src/config/schema.js';
import { advanceByTimers } from '../../support/advance-clock.js';
import { TEST_EPOCH } from '../../support/test-conductor.js';
import { embeddedTestDatabase } from '../../support/test-databases.js';

/** The path of the system every simulated iDRAC serves. */
export const SYSTEM_PATH = '/redfish/v1/Systems/System.Embedded.1';
/** The route counted for power reads in a BMC's `stats.byRoute`. */
export const SYSTEM_GET = `GET ${SYSTEM_PATH}`;

/** One JSON log line of the conductor. */
export interface LogLine {
  level: number;
  msg: string;
  node?: string;
  task?: string;
  stored?: string | null;
  actual?: string | null;
  [key: string]: unknown;
}

/** A conductor running the drac driver against simulated iDRACs over real HTTP, on a fake clock. */
export interface PowerRig {
  readonly conductor: Conductor;
  readonly clock: ManualClock;
  readonly fleet: RedfishFleet;
  readonly driver: DracDriver;
  /** Every log line of the conductor, parsed. */
  readonly logs: LogLine[];
  /** Starts a BMC (or reuses `bmc`) and creates a `manageable` drac node pointing at it. */
  addNode(
    name: string,
    bmc?: AddBmcOptions | SimulatedBmc,
    node?: Partial<NewNode>,
  ): Promise<{ bmc: SimulatedBmc; node: Node }>;
  /** Moves the clock `seconds` on and waits until every run it started has finished. */
  advance(seconds: number): Promise<void>;
  node(name: string): Promise<Node>;
  /** Log lines about one node of one task. */
  logsOf(node: string, task?: string): LogLine[];
  close(): Promise<void>;
}

/** Options of `startPowerRig`. */
export interface PowerRigOptions {
  readonly conductor?: ConductorConfigInput['conductor'];
  readonly drac?: DracOptionsInput;
  readonly database?: ConductorConfigInput['database'];
  readonly clock?: ManualClock;
  readonly fleet?: RedfishFleet;
}

/** `driver_info` that reaches this BMC. */
export function driverInfoFor(bmc: SimulatedBmc) {
  return { redfish_address: bmc.url, redfish_username: bmc.username, redfish_password: bmc.password };
}

export async function startPowerRig(options: PowerRigOptions = {}): Promise<PowerRig> {
  const clock = options.clock ?? new ManualClock(TEST_EPOCH);
  const fleet = options.fleet ?? (await startRedfishFleet({ clock }));
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const id = options.conductor?.id ?? 'power-conductor';
  const config = defineConfig({
    conductor: { id, host: id, ...options.conductor },
    database: options.database ?? (await embeddedTestDatabase()),
    drivers: { enabled: ['@ironic/driver-drac'], options: { drac: options.drac ?? {} } },
    log: { level: 'silent' },
  });
  const conductor = await createConductor(config, { clock, logger });
  await conductor.start({ listen: false });
  return {
    conductor,
    clock,
    fleet,
    driver: conductor.drivers.get('drac') as DracDriver,
    logs,
    async addNode(name, bmc = {}, node = {}) {
      const target = 'url' in bmc ? (bmc as SimulatedBmc) : await fleet.addBmc({ id: name, ...bmc });
      const created = await conductor.repository.create({
        name,
        driver: 'drac',
        provision_state: 'manageable',
        ...node,
        driver_info: { ...driverInfoFor(target), ...node.driver_info },
      });
      return { bmc: target, node: created };
    },
    advance: (seconds) => advanceByTimers(clock, seconds * 1000, () => conductor.worker.idle()),
    node: (name) => conductor.nodes.get(name),
    logsOf(node, task) {
      return logs.filter((line) => line.node === node && (task === undefined || line.task === task));
    },
    async close() {
      await conductor.stop({ timeout: 5_000 });
      if (!options.fleet) await fleet.close();
    },
  };
}
