import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '../src/redfish/index.js';

const CONTROLLER = 'RAID.Integrated.1-1';
const STORAGE = `/redfish/v1/Systems/System.Embedded.1/Storage/${CONTROLLER}`;

let fleet: RedfishFleet;
let bmc: SimulatedBmc;
let clock = Date.UTC(2026, 0, 1);

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${bmc.url}${path}`, {
    headers: { Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}` },
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Every `@odata.id` anywhere in a body, without its `#/...` fragment. */
function links(body: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(body)) {
    for (const item of body) links(item, found);
  } else if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) {
      if (key === '@odata.id' && typeof value === 'string') found.add(value.split('#')[0] ?? value);
      else links(value, found);
    }
  }
  return found;
}

beforeAll(async () => {
  fleet = await startRedfishFleet({ clock: { now: () => clock } });
  bmc = await fleet.addBmc({ jobDurationMs: 60_000 });
  const drives = [0, 1].map((bay) => ({
    '@odata.id': `${STORAGE}/Drives/Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`,
  }));
  // A volume made, and a job still running, so that volumes, jobs and tasks are all walked.
  await fetch(`${bmc.url}${STORAGE}/Volumes`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ RAIDType: 'RAID1', Links: { Drives: drives } }),
  });
  clock += 60_000;
  await fetch(`${bmc.url}${STORAGE}/Volumes`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      RAIDType: 'RAID0',
      Links: {
        Drives: [{ '@odata.id': `${STORAGE}/Drives/Disk.Bay.2:Enclosure.Internal.0-1:${CONTROLLER}` }],
      },
    }),
  });
});

afterAll(async () => {
  await fleet.close();
});

describe('the links of a simulated iDRAC', () => {
  it('resolves every @odata.id reachable from the service root with 200', async () => {
    const seen = new Map<string, number>();
    const queue = ['/redfish/v1'];
    while (queue.length > 0) {
      const path = queue.shift() as string;
      if (seen.has(path)) continue;
      const { status, body } = await get(path);
      seen.set(path, status);
      for (const link of links(body)) if (!seen.has(link)) queue.push(link);
    }
    const broken = [...seen].filter(([, status]) => status !== 200);
    expect(broken).toEqual([]);
    // The walk reached every area, not just the root.
    for (const expected of [
      '/redfish/v1/SessionService/Sessions',
      '/redfish/v1/TaskService/Tasks',
      '/redfish/v1/Chassis/Enclosure.Internal.0-1',
      `${STORAGE}/Volumes/Disk.Virtual.0:${CONTROLLER}`,
      '/redfish/v1/Systems/System.Embedded.1/Bios',
      '/redfish/v1/Managers/iDRAC.Embedded.1/NetworkProtocol',
    ]) {
      expect(seen.get(expected)).toBe(200);
    }
    expect([...seen.keys()].some((path) => path.startsWith('/redfish/v1/TaskService/Tasks/JID_'))).toBe(true);
    expect(seen.size).toBeGreaterThan(50);
  });

  it('names the drives after the enclosure their storage and links point at', async () => {
    const storage = (await get(STORAGE)).body as { Links: { Enclosures: Array<{ '@odata.id': string }> } };
    const enclosureId = storage.Links.Enclosures[0]?.['@odata.id'].split('/').pop() ?? '';
    const drive = (await get(`${STORAGE}/Drives/Disk.Bay.0:Enclosure.Internal.0-1:${CONTROLLER}`)).body as {
      Id: string;
      Links: { Chassis: { '@odata.id': string } };
    };
    expect(drive.Id.split(':')[1]).toBe(enclosureId);
    expect(drive.Links.Chassis['@odata.id']).toBe(`/redfish/v1/Chassis/${enclosureId}`);
    const enclosure = (await get(`/redfish/v1/Chassis/${enclosureId}`)).body as {
      Links: { Drives: Array<{ '@odata.id': string }> };
    };
    expect(enclosure.Links.Drives.map((link) => link['@odata.id'].split('/').pop())).toContain(drive.Id);
  });
});
