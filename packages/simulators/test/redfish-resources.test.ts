import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '../src/redfish/index.js';

const CONTROLLER = 'RAID.Integrated.1-1';
const SYSTEM = '/redfish/v1/Systems/System.Embedded.1';
const STORAGE = `${SYSTEM}/Storage/${CONTROLLER}`;

let fleet: RedfishFleet;
let bmc: SimulatedBmc;

async function getJson(
  path: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${bmc.url}${path}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${bmc.username}:${bmc.password}`).toString('base64')}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

function member(body: Record<string, unknown>): string[] {
  return (body.Members as Array<{ '@odata.id': string }>).map((m) => m['@odata.id']);
}

beforeAll(async () => {
  fleet = await startRedfishFleet({ logger: pino({ level: 'silent' }) });
  bmc = await fleet.addBmc({
    id: 'shapes',
    drives: [
      { capacityGb: 600 },
      { capacityGb: 600 },
      { capacityGb: 1200 },
      { capacityGb: 960, mediaType: 'SSD' },
    ],
  });
});

afterAll(async () => {
  await fleet.close();
});

describe('Redfish resources of a simulated iDRAC', () => {
  it('listens on its own loopback port', () => {
    expect(bmc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bmc.username).toBe('root');
    expect(bmc.password).toBe('calvin');
  });

  it('serves the service root like an iDRAC', async () => {
    const { status, body, headers } = await getJson('/redfish/v1');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    expect(headers.get('odata-version')).toBe('4.0');
    expect(body['@odata.id']).toBe('/redfish/v1');
    expect(body['@odata.type']).toMatch(/^#ServiceRoot\.v1_\d+_\d+\.ServiceRoot$/);
    expect(body.Id).toBe('RootService');
    expect(typeof body.RedfishVersion).toBe('string');
    expect(body.Product).toBe('Integrated Dell Remote Access Controller');
    expect(body.Systems).toEqual({ '@odata.id': '/redfish/v1/Systems' });
    expect(body.Managers).toEqual({ '@odata.id': '/redfish/v1/Managers' });
    const oem = (body.Oem as { Dell: { ServiceTag: string } }).Dell;
    expect(oem.ServiceTag).toMatch(/^[0-9A-Z]{7}$/);
  });

  it('lists the one system and serves it with power state and the reset action', async () => {
    expect(member((await getJson('/redfish/v1/Systems')).body)).toEqual([SYSTEM]);
    const { status, body } = await getJson(SYSTEM);
    expect(status).toBe(200);
    expect(body['@odata.id']).toBe(SYSTEM);
    expect(body['@odata.type']).toMatch(/^#ComputerSystem\.v1_\d+_\d+\.ComputerSystem$/);
    expect(body.Id).toBe('System.Embedded.1');
    expect(body.Manufacturer).toBe('Dell Inc.');
    expect(body.PowerState).toBe('Off');
    expect(body.Storage).toEqual({ '@odata.id': `${SYSTEM}/Storage` });
    const reset = (
      body.Actions as Record<string, { target: string; 'ResetType@Redfish.AllowableValues': string[] }>
    )['#ComputerSystem.Reset'];
    expect(reset?.target).toBe(`${SYSTEM}/Actions/ComputerSystem.Reset`);
    expect(reset?.['ResetType@Redfish.AllowableValues']).toEqual(
      expect.arrayContaining([
        'On',
        'ForceOff',
        'GracefulShutdown',
        'ForceRestart',
        'GracefulRestart',
        'PushPowerButton',
      ]),
    );
  });

  it('serves the storage collection and the RAID controller with its drives', async () => {
    const collection = await getJson(`${SYSTEM}/Storage`);
    expect(collection.body['@odata.type']).toBe('#StorageCollection.StorageCollection');
    expect(member(collection.body)).toEqual([STORAGE]);
    expect(collection.body['Members@odata.count']).toBe(1);

    const { body } = await getJson(STORAGE);
    expect(body.Id).toBe(CONTROLLER);
    expect(body['@odata.type']).toMatch(/^#Storage\.v1_\d+_\d+\.Storage$/);
    expect(body.Volumes).toEqual({ '@odata.id': `${STORAGE}/Volumes` });
    const drives = (body.Drives as Array<{ '@odata.id': string }>).map((d) => d['@odata.id']);
    expect(drives).toEqual(
      [0, 1, 2, 3].map((bay) => `${STORAGE}/Drives/Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`),
    );
    const [controller] = body.StorageControllers as Array<Record<string, unknown>>;
    expect(controller?.SupportedRAIDTypes).toEqual(
      expect.arrayContaining(['RAID0', 'RAID1', 'RAID5', 'RAID10']),
    );
  });

  it('serves each drive with its size, media type and protocol', async () => {
    const ssd = await getJson(`${STORAGE}/Drives/Disk.Bay.3:Enclosure.Internal.0-1:${CONTROLLER}`);
    expect(ssd.status).toBe(200);
    expect(ssd.body['@odata.type']).toMatch(/^#Drive\.v1_\d+_\d+\.Drive$/);
    expect(ssd.body.Id).toBe(`Disk.Bay.3:Enclosure.Internal.0-1:${CONTROLLER}`);
    expect(ssd.body.CapacityBytes).toBe(960_000_000_000);
    expect(ssd.body.MediaType).toBe('SSD');
    expect(ssd.body.Protocol).toBe('SATA');
    // Clients may percent-encode the colons of an FQDD.
    const hdd = await getJson(
      `${STORAGE}/Drives/${encodeURIComponent(`Disk.Bay.2:Enclosure.Internal.0-1:${CONTROLLER}`)}`,
    );
    expect(hdd.body.CapacityBytes).toBe(1_200_000_000_000);
    expect(hdd.body.MediaType).toBe('HDD');
    expect(hdd.body.Protocol).toBe('SAS');
  });

  it('starts with an empty volume collection and job queue', async () => {
    const volumes = await getJson(`${STORAGE}/Volumes`);
    expect(volumes.body['@odata.type']).toBe('#VolumeCollection.VolumeCollection');
    expect(volumes.body['@odata.id']).toBe(`${STORAGE}/Volumes`);
    expect(volumes.body.Members).toEqual([]);
    expect(volumes.body['Members@odata.count']).toBe(0);
    const jobs = await getJson('/redfish/v1/Managers/iDRAC.Embedded.1/Jobs');
    expect(jobs.body['@odata.type']).toBe('#DellJobCollection.DellJobCollection');
    expect(jobs.body.Members).toEqual([]);
  });

  it('serves the manager with a link to its job queue', async () => {
    expect(member((await getJson('/redfish/v1/Managers')).body)).toEqual([
      '/redfish/v1/Managers/iDRAC.Embedded.1',
    ]);
    const { body } = await getJson('/redfish/v1/Managers/iDRAC.Embedded.1');
    expect(body.Id).toBe('iDRAC.Embedded.1');
    expect(body.ManagerType).toBe('BMC');
    expect((body.Links as { Oem: { Dell: { Jobs: unknown } } }).Oem.Dell.Jobs).toEqual({
      '@odata.id': '/redfish/v1/Managers/iDRAC.Embedded.1/Jobs',
    });
  });

  it('answers an unknown resource with 404 and a Redfish error body', async () => {
    const { status, body } = await getJson(`${STORAGE}/Volumes/Disk.Virtual.9:${CONTROLLER}`);
    expect(status).toBe(404);
    const error = body.error as { code: string; '@Message.ExtendedInfo': Array<{ MessageId: string }> };
    expect(error.code).toMatch(/^Base\.1\.\d+\.GeneralError$/);
    expect(error['@Message.ExtendedInfo'][0]?.MessageId).toMatch(/^Base\.1\.\d+\.ResourceMissingAtURI$/);
  });

  it('answers a method the resource does not allow with 405', async () => {
    const response = await fetch(`${bmc.url}${SYSTEM}`, {
      method: 'DELETE',
      headers: { Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}` },
    });
    expect(response.status).toBe(405);
    const body = (await response.json()) as {
      error: { '@Message.ExtendedInfo': Array<{ MessageId: string }> };
    };
    expect(body.error['@Message.ExtendedInfo'][0]?.MessageId).toMatch(/^IDRAC\.2\.\d+\.SYS402$/);
  });

  it('gives each BMC of a fleet its own port, identity and state', async () => {
    const other = await fleet.addBmc();
    expect(other.url).not.toBe(bmc.url);
    expect(other.id).toBe('bmc-1');
    expect(fleet.get('shapes')).toBe(bmc);
    expect(fleet.bmcs).toEqual([bmc, other]);
    expect(other.identity.serviceTag).not.toBe(bmc.identity.serviceTag);
    expect(other.drives.map((d) => d.capacityBytes)).toEqual([600e9, 600e9, 600e9, 600e9]);
  });
});
