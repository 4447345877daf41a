import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishAuthError, RedfishError } from '../src/index.js';
import { endpointOf, type Rig, SESSIONS, SYSTEM, startRig } from './rig.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig({ credentialsHint: 'check the test credentials' });
});
afterEach(async () => rig.close());

describe('sessions as sushy does them', () => {
  it('logs in through Links.Sessions of the service root and sends the X-Auth-Token', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    expect(client.authMode).toBe('none');
    const system = await client.get(SYSTEM);
    expect(system.Id).toBe('System.Embedded.1');
    expect(client.authMode).toBe('session');
    expect(bmc.sessions).toHaveLength(1);
    expect(bmc.stats.byRoute).toEqual({
      'GET /redfish/v1': 1,
      [`POST ${SESSIONS}`]: 1,
      [`GET ${SYSTEM}`]: 1,
    });
    expect(rig.connector.stats).toMatchObject({ logins: 1, relogins: 0, basicFallbacks: 0 });
    // The same BMC and credentials give the same client, and so the same session.
    expect(rig.connector.client(endpointOf(bmc))).toBe(client);
  });

  it('logs in again once on a 401, for all the requests that met it, and retries them', async () => {
    const bmc = await rig.addBmc({ maxConcurrentRequests: 4 });
    const client = rig.connector.client(endpointOf(bmc));
    await client.get(SYSTEM);
    bmc.expireSessions();
    const systems = await Promise.all([client.get(SYSTEM), client.get(SYSTEM), client.get(SYSTEM)]);
    expect(systems.map((system) => system.Id)).toEqual(Array(3).fill('System.Embedded.1'));
    expect(rig.connector.stats).toMatchObject({ logins: 1, relogins: 1 });
    expect(bmc.stats.byRoute[`POST ${SESSIONS}`]).toBe(2);
    expect(bmc.sessions).toHaveLength(1);
  });

  it('also logs in again when the session timed out on the BMC clock', async () => {
    const bmc = await rig.addBmc({ sessionTimeoutSeconds: 60 });
    const client = rig.connector.client(endpointOf(bmc));
    await client.get(SYSTEM);
    await rig.clock.advance(61_000);
    expect((await client.get(SYSTEM)).Id).toBe('System.Embedded.1');
    expect(rig.connector.stats.relogins).toBe(1);
  });

  it('falls back to HTTP Basic when the BMC has no SessionService, and says so', async () => {
    await rig.close();
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const record = (level: string) => (fields: Record<string, unknown>, message: string) =>
      lines.push({ level, fields, message });
    rig = await startRig({ logger: { debug: record('debug'), info: record('info'), warn: record('warn') } });
    const bmc = await rig.addBmc({ sessionService: false });
    const client = rig.connector.client(endpointOf(bmc));
    await client.get(SYSTEM);
    await client.get(SYSTEM);
    expect(client.authMode).toBe('basic');
    expect(bmc.stats.byRoute).toEqual({ 'GET /redfish/v1': 1, [`GET ${SYSTEM}`]: 2 });
    expect(rig.connector.stats).toMatchObject({ logins: 0, basicFallbacks: 1 });
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: { bmc: bmc.url, username: 'root' },
        message: 'the BMC has no Redfish session service or refused a session: using HTTP Basic',
      },
    ]);
  });

  it('does not give up sessions for a BMC that fails (5xx) while logging in, unlike sushy', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    bmc.setServerError(true);
    await expect(client.get(SYSTEM)).rejects.toMatchObject({ name: 'RedfishError', status: 500 });
    expect(client.authMode).toBe('none');
    bmc.setServerError(false);
    expect((await client.get(SYSTEM)).Id).toBe('System.Embedded.1');
    expect(client.authMode).toBe('session');
  });

  it('rejects refused credentials with RedfishAuthError carrying the BMC message and the hint', async () => {
    const bmc = await rig.addBmc();
    const error = await rig.connector
      .client(endpointOf(bmc, 'wrong'))
      .get(SYSTEM)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect(error).toBeInstanceOf(RedfishError);
    expect(error).toMatchObject({ name: 'RedfishAuthError', code: 'REDFISH_AUTH_FAILED', status: 401 });
    expect((error as Error).message).toBe(
      `The BMC at ${bmc.url} rejected the credentials of user "root" (check the test credentials): ` +
        'Unable to complete the operation because an invalid username and/or password is entered, and therefore authentication failed.',
    );
    expect((error as RedfishError).messageIds).toEqual(['IDRAC.2.8.SYS415']);
  });

  it('rejects with RedfishAuthError when the credentials stop working under a session', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    await client.get(SYSTEM);
    // The password is rotated on the BMC and the session ends: logging in again is refused, and no
    // fall back to Basic hides it (sessions worked before).
    bmc.setCredentials({ password: 'rotated' });
    bmc.expireSessions();
    const error = await client.get(SYSTEM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect(error).toMatchObject({ method: 'POST', path: SESSIONS });
    expect(bmc.stats.byRoute[`POST ${SESSIONS}`]).toBe(2);
    // Once the operator fixes the credentials, a new client (new credentials) logs in.
    const fixed = rig.connector.client({ ...endpointOf(bmc), password: 'rotated' });
    expect((await fixed.get(SYSTEM)).Id).toBe('System.Embedded.1');
  });

  it('tells a BMC that wants credentials from one that refuses them', async () => {
    const bmc = await rig.addBmc();
    const error = await rig.connector
      .client({ address: bmc.url })
      .get(SYSTEM)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect((error as Error).message).toMatch(/requires credentials, and none were given/);
  });

  it('logs out: DELETE of the session, on demand and when the connector closes', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    await client.get(SYSTEM);
    await client.logout();
    expect(bmc.sessions).toEqual([]);
    await client.get(SYSTEM);
    expect(bmc.sessions).toHaveLength(1);
    await rig.connector.close();
    expect(bmc.sessions).toEqual([]);
    expect(rig.connector.stats.logouts).toBe(2);
  });

  it('logs out the least recently used session beyond maxClients', async () => {
    await rig.close();
    rig = await startRig({ maxClients: 2 });
    const bmcs = await Promise.all([rig.addBmc(), rig.addBmc(), rig.addBmc()]);
    for (const bmc of bmcs) await rig.connector.client(endpointOf(bmc)).get(SYSTEM);
    await rig.clock.settle(50);
    expect(rig.connector.stats.clients).toBe(2);
    expect(bmcs.map((bmc) => bmc.sessions.length)).toEqual([0, 1, 1]);
  });

  it('finds a client by the endpoint as spelled, but never for other credentials or once pushed out', async () => {
    await rig.close();
    rig = await startRig({ maxClients: 2 });
    const bmc = await rig.addBmc();
    const endpoint = endpointOf(bmc);
    const client = rig.connector.client(endpoint);
    expect(rig.connector.client({ ...endpoint })).toBe(client);
    // Another password on the same address and user is another session.
    const other = rig.connector.client({ ...endpoint, password: 'other' });
    expect(other).not.toBe(client);
    expect(rig.connector.client(endpoint)).toBe(client);
    expect(rig.connector.client({ ...endpoint, password: 'other' })).toBe(other);
    // A third client pushes out the least recently used one (`client`): asked again, it is a new one.
    const second = await rig.addBmc();
    rig.connector.client(endpointOf(second));
    expect(rig.connector.stats.clients).toBe(2);
    const again = rig.connector.client(endpoint);
    expect(again).not.toBe(client);
    expect(rig.connector.client(endpoint)).toBe(again);
  });
});
