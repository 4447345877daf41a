import { ManualClock } from '@ironic/periodic-core';
import {
  type AddBmcOptions,
  type RedfishFleet,
  type SimulatedBmc,
  startRedfishFleet,
} from '@ironic/simulators';
import { RedfishConnector, type RedfishConnectorOptions } from '../src/index.js';

export const SYSTEM = '/redfish/v1/Systems/System.Embedded.1';
export const CONTROLLER = 'RAID.Integrated.1-1';
export const STORAGE = `${SYSTEM}/Storage/${CONTROLLER}`;
export const VOLUMES = `${STORAGE}/Volumes`;
export const SESSIONS = '/redfish/v1/SessionService/Sessions';

/** A link to the drive in `bay`. */
export const drive = (bay: number) => ({
  '@odata.id': `${STORAGE}/Drives/Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`,
});

/** Simulated iDRACs and a connector, on one fake clock. */
export interface Rig {
  readonly clock: ManualClock;
  readonly fleet: RedfishFleet;
  readonly connector: RedfishConnector;
  addBmc(options?: AddBmcOptions): Promise<SimulatedBmc>;
  close(): Promise<void>;
}

export async function startRig(options: RedfishConnectorOptions = {}): Promise<Rig> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const fleet = await startRedfishFleet({ clock });
  const connector = new RedfishConnector({ clock, requestTimeoutMs: 10_000, ...options });
  return {
    clock,
    fleet,
    connector,
    addBmc: (bmcOptions) => fleet.addBmc(bmcOptions),
    async close() {
      await connector.close();
      await fleet.close();
    },
  };
}

/** The endpoint of a simulated BMC, with its own credentials unless told otherwise. */
export function endpointOf(bmc: SimulatedBmc, password = bmc.password) {
  return { address: bmc.url, username: bmc.username, password };
}

/**
 * Moves the fake clock `stepMs` at a time until `promise` settles (at most `limitMs`), so a wait that
 * arms its next timer only after an HTTP answer still sees time move.
 */
export async function advanceUntilSettled<T>(
  clock: ManualClock,
  promise: Promise<T>,
  stepMs: number,
  limitMs = 3_600_000,
): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  for (let elapsed = 0; !settled && elapsed < limitMs; elapsed += stepMs) {
    await clock.advance(stepMs);
  }
  return watched;
}
