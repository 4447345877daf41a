import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '@ironic/simulators';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BmcUnreachable,
  DEFAULT_SYSTEM_ID,
  RedfishAuthError,
  RedfishClient,
  RedfishError,
  RequestLimiter,
} from '../src/index.js';

describe('RedfishClient against a simulated iDRAC', () => {
  let fleet: RedfishFleet;
  let bmc: SimulatedBmc;
  const agent = new Agent();
  const limiter = new RequestLimiter({ maxPerBmc: 1, maxTotal: 4 });
  const client = (password = 'calvin', address?: string) =>
    new RedfishClient({
      endpoint: { address: address ?? bmc.url, username: 'root', password, systemId: DEFAULT_SYSTEM_ID },
      dispatcher: agent,
      limiter,
      timeoutMs: 5_000,
    });

  beforeAll(async () => {
    fleet = await startRedfishFleet();
    bmc = await fleet.addBmc();
  });
  afterAll(async () => {
    await fleet.close();
    await agent.close();
  });

  it('reads a resource with Basic auth', async () => {
    const system = await client().get(DEFAULT_SYSTEM_ID);
    expect(system).toMatchObject({ Id: 'System.Embedded.1', PowerState: 'Off' });
  });

  it('turns a 401 into RedfishAuthError saying the credentials were rejected', async () => {
    const error = await client('nope')
      .get(DEFAULT_SYSTEM_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect(error).toBeInstanceOf(RedfishError);
    expect(error).toMatchObject({ name: 'RedfishAuthError', code: 'REDFISH_AUTH_FAILED', status: 401 });
    expect((error as Error).message).toMatch(/rejected the credentials of user "root"/);
    expect((error as RedfishError).messageIds[0]).toMatch(/SYS415$/);
  });

  it('carries the @Message.ExtendedInfo message of an error body', async () => {
    const error = await client()
      .post(`${DEFAULT_SYSTEM_ID}/Actions/ComputerSystem.Reset`, { ResetType: 'Sideways' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RedfishError', code: 'REDFISH_ERROR', status: 400 });
    expect((error as RedfishError).bmcMessage).toBe(
      'The value Sideways for the parameter ResetType in the action ComputerSystem.Reset is not in the list of acceptable values.',
    );
    expect((error as Error).message).toContain('failed with HTTP 400: The value Sideways');
  });

  it('reports a 500 as a RedfishError with its status', async () => {
    bmc.setServerError(true);
    try {
      const error = await client()
        .get(DEFAULT_SYSTEM_ID)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 500 });
      expect((error as Error).message).toContain('internal service error');
    } finally {
      bmc.setServerError(false);
    }
  });

  it('reports a dropped connection or a closed port as BmcUnreachable', async () => {
    bmc.setUnreachable(true);
    try {
      const error = await client()
        .get(DEFAULT_SYSTEM_ID)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BmcUnreachable);
      expect(error).toMatchObject({ code: 'BMC_UNREACHABLE', address: bmc.url });
    } finally {
      bmc.setUnreachable(false);
    }
    const gone = await fleet.addBmc({ id: 'gone' });
    const url = gone.url;
    await fleet.removeBmc('gone');
    const error = await client('calvin', url)
      .get(DEFAULT_SYSTEM_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BmcUnreachable);
    expect((error as Error).message).toContain(`The BMC at ${url} could not be reached`);
  });
});
