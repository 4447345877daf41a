import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RedfishFleet, startRedfishFleet } from '../src/redfish/index.js';
import { type Answer, FakeClock } from './redfish-helpers.js';

const SYSTEM = '/redfish/v1/Systems/System.Embedded.1';
const SESSIONS = '/redfish/v1/SessionService/Sessions';

async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
}

let clock: FakeClock;
let fleet: RedfishFleet;

beforeEach(async () => {
  clock = new FakeClock();
  fleet = await startRedfishFleet({ clock });
});

afterEach(async () => {
  await fleet.close();
});

describe('the SessionService', () => {
  it('is linked from the service root as DMTF defines it', async () => {
    const bmc = await fleet.addBmc();
    const root = (await call(`${bmc.url}/redfish/v1`)).body ?? {};
    expect(root.SessionService).toEqual({ '@odata.id': '/redfish/v1/SessionService' });
    expect(root.Links).toEqual({ Sessions: { '@odata.id': SESSIONS } });
    const auth = { Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}` };
    const service = await call(`${bmc.url}/redfish/v1/SessionService`, { headers: auth });
    expect(service.status).toBe(200);
    expect(service.body).toMatchObject({
      '@odata.id': '/redfish/v1/SessionService',
      Id: 'SessionService',
      ServiceEnabled: true,
      SessionTimeout: 1800,
      Sessions: { '@odata.id': SESSIONS },
    });
    expect(service.body?.['@odata.type']).toMatch(/^#SessionService\.v1_\d+_\d+\.SessionService$/);
  });

  it('creates a session without credentials: 201, X-Auth-Token and Location; the token then authenticates', async () => {
    const bmc = await fleet.addBmc({ username: 'admin', password: 's3cret' });
    const created = await call(`${bmc.url}${SESSIONS}`, {
      method: 'POST',
      body: { UserName: 'admin', Password: 's3cret' },
    });
    expect(created.status).toBe(201);
    const token = created.headers.get('x-auth-token') ?? '';
    const location = created.headers.get('location') ?? '';
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(location).toMatch(/^\/redfish\/v1\/SessionService\/Sessions\/\d+$/);
    expect(created.body).toMatchObject({ '@odata.id': location, UserName: 'admin' });
    expect(created.body?.['@odata.type']).toMatch(/^#Session\.v1_\d+_\d+\.Session$/);

    const system = await call(`${bmc.url}${SYSTEM}`, { headers: { 'X-Auth-Token': token } });
    expect(system.status).toBe(200);
    const listed = await call(`${bmc.url}${SESSIONS}`, { headers: { 'X-Auth-Token': token } });
    expect(listed.body?.Members).toEqual([{ '@odata.id': location }]);
    expect((await call(`${bmc.url}${location}`, { headers: { 'X-Auth-Token': token } })).body?.Id).toBe(
      location.split('/').pop(),
    );
    expect(bmc.sessions.map((session) => session.username)).toEqual(['admin']);
    expect(bmc.stats.sessionsCreated).toBe(1);
  });

  it('refuses bad credentials with 401 and a missing field with 400', async () => {
    const bmc = await fleet.addBmc();
    const refused = await call(`${bmc.url}${SESSIONS}`, {
      method: 'POST',
      body: { UserName: 'root', Password: 'wrong' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-auth-token')).toBeNull();
    const missing = await call(`${bmc.url}${SESSIONS}`, { method: 'POST', body: { UserName: 'root' } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('PropertyMissing');
    expect(bmc.sessions).toEqual([]);
  });

  it('logs out with DELETE: the token stops working', async () => {
    const bmc = await fleet.addBmc();
    const created = await call(`${bmc.url}${SESSIONS}`, {
      method: 'POST',
      body: { UserName: 'root', Password: 'calvin' },
    });
    const token = { 'X-Auth-Token': created.headers.get('x-auth-token') ?? '' };
    const location = created.headers.get('location') ?? '';
    expect((await call(`${bmc.url}${location}`, { method: 'DELETE', headers: token })).status).toBe(204);
    const after = await call(`${bmc.url}${SYSTEM}`, { headers: token });
    expect(after.status).toBe(401);
    expect(bmc.sessions).toEqual([]);
  });

  it('expires a session left idle for SessionTimeout on the clock, and on demand', async () => {
    const bmc = await fleet.addBmc({ sessionTimeoutSeconds: 60 });
    const login = async () =>
      (
        await call(`${bmc.url}${SESSIONS}`, {
          method: 'POST',
          body: { UserName: 'root', Password: 'calvin' },
        })
      ).headers.get('x-auth-token') ?? '';
    const token = await login();
    clock.time += 59_000;
    // Using the session keeps it alive.
    expect((await call(`${bmc.url}${SYSTEM}`, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
    clock.time += 59_000;
    expect((await call(`${bmc.url}${SYSTEM}`, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
    clock.time += 60_000;
    expect((await call(`${bmc.url}${SYSTEM}`, { headers: { 'X-Auth-Token': token } })).status).toBe(401);

    const second = await login();
    bmc.expireSessions();
    expect((await call(`${bmc.url}${SYSTEM}`, { headers: { 'X-Auth-Token': second } })).status).toBe(401);
  });

  it('has no SessionService when told so: only HTTP Basic works', async () => {
    const bmc = await fleet.addBmc({ sessionService: false });
    const root = (await call(`${bmc.url}/redfish/v1`)).body ?? {};
    expect(root).not.toHaveProperty('SessionService');
    expect(root).not.toHaveProperty('Links');
    const refused = await call(`${bmc.url}${SESSIONS}`, {
      method: 'POST',
      body: { UserName: 'root', Password: 'calvin' },
    });
    expect(refused.status).toBe(401);
    const basic = { Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}` };
    expect((await call(`${bmc.url}${SESSIONS}`, { method: 'POST', headers: basic, body: {} })).status).toBe(
      404,
    );
    expect((await call(`${bmc.url}${SYSTEM}`, { headers: basic })).status).toBe(200);
  });

  it('counts requests per route and the connections they came on', async () => {
    const bmc = await fleet.addBmc();
    const basic = { Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}` };
    await call(`${bmc.url}${SYSTEM}`, { headers: basic });
    await call(`${bmc.url}${SYSTEM}`, { headers: basic });
    await call(`${bmc.url}/redfish/v1/`);
    expect(bmc.stats.byRoute).toEqual({ [`GET ${SYSTEM}`]: 2, 'GET /redfish/v1': 1 });
    expect(bmc.stats.connections).toBeGreaterThanOrEqual(1);
  });
});
