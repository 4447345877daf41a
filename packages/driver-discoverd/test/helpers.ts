import { createServer } from 'node:net';
import { createDriverHarness, type DriverHarness, HARNESS_EPOCH } from '@ironic/driver-base/testing';
import { ManualClock } from '@ironic/periodic-core';
import {
  type DiscoverdSimulator,
  type IronicApiStandIn,
  startDiscoverdSimulator,
  startIronicApiStandIn,
} from '@ironic/simulators';
import pino from 'pino';
import { DiscoverdInspect, type DiscoverdOptionsInput, discoverdDriver } from '../src/index.js';

/** One JSON log line as pino wrote it. */
export interface LogEntry {
  level: number;
  msg: string;
  node?: string;
  err?: { type?: string; message?: string };
  [key: string]: unknown;
}

/** pino's number for `warn`. */
export const WARN = 40;

/**
 * A harness running the discoverd driver against a simulator, both on one fake clock, and the Ironic API
 * the simulator looks nodes up in: a stand-in over the harness's own nodes, as a real discoverd would
 * ask the conductor's API.
 */
export interface Setup {
  readonly clock: ManualClock;
  readonly simulator: DiscoverdSimulator;
  readonly harness: DriverHarness;
  readonly inspect: DiscoverdInspect;
  readonly ironic: IronicApiStandIn;
  readonly logs: LogEntry[];
  /** From now on the Ironic API discoverd asks no longer shows this node (as if deleted there). */
  hideFromIronic(uuid: string): void;
  close(): Promise<void>;
}

/** A stand-in Ironic API over a harness's nodes, less the ones in `hidden`. */
export function ironicOver(harness: DriverHarness, hidden: ReadonlySet<string> = new Set()) {
  return startIronicApiStandIn({
    get: async (ident) => {
      const node = await harness.repository.get(ident);
      return node && !hidden.has(node.uuid) ? node : undefined;
    },
    list: async () => (await harness.repository.list()).filter((node) => !hidden.has(node.uuid)),
  });
}

/** Starts a simulator and a harness sharing a `ManualClock`; `options` override the driver's defaults. */
export async function startSetup(options: Partial<DiscoverdOptionsInput> = {}): Promise<Setup> {
  const clock = new ManualClock(HARNESS_EPOCH);
  const simulator = await startDiscoverdSimulator({ clock });
  const logs: LogEntry[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const harness = await createDriverHarness({
    clock,
    logger,
    drivers: [{ package: discoverdDriver, options: { discoverd_url: simulator.url, ...options } }],
  });
  const inspect = harness.drivers.get('discoverd')?.interfaces.inspect;
  if (!(inspect instanceof DiscoverdInspect)) throw new Error('the discoverd driver has no DiscoverdInspect');
  const hidden = new Set<string>();
  const ironic = await ironicOver(harness, hidden);
  simulator.setIronicUrl(ironic.url);
  return {
    clock,
    simulator,
    harness,
    inspect,
    ironic,
    logs,
    hideFromIronic: (uuid) => hidden.add(uuid),
    async close() {
      await harness.close();
      await simulator.close();
      await ironic.close();
    },
  };
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return `http://127.0.0.1:${address.port}`;
}

/** Moves the fake clock `periods` times by `periodMs`, each time waiting for the runs it started. */
export async function advancePeriods(
  harness: DriverHarness,
  periods: number,
  periodMs = 60_000,
): Promise<void> {
  for (let i = 0; i < periods; i++) await harness.advance(periodMs);
}
