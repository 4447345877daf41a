import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';
import { dropSchema, POSTGRES_URL, postgresReachable } from '../support/test-databases.js';

const postgresUp = await postgresReachable();

describe.skipIf(!postgresUp)('the API while PostgreSQL is away', () => {
  let proxy: TcpProxy;
  let t: TestConductor;
  let url: string;
  const schema = `outage_${randomBytes(6).toString('hex')}`;
  const api = apiClient(() => t.conductor.api);
  beforeAll(async () => {
    const target = new URL(POSTGRES_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    url = proxy.rewrite(POSTGRES_URL);
    t = await startTestConductor({ database: { url, schema } });
    await t.conductor.repository.create({ driver: 'test-hardware', name: 'n1' });
  });
  afterAll(async () => {
    proxy.restore();
    await t?.conductor.stop();
    // Through the proxy, which is about to go.
    await dropSchema(url, schema);
    await proxy?.stop();
  });

  it("answers 503 with Ironic's error body and nothing of the database, and /healthz 503; then recovers", async () => {
    expect((await api.get('/v1/nodes')).statusCode).toBe(200);
    proxy.cut();
    for (const response of [
      await api.get('/v1/nodes'),
      await api.get('/v1/nodes/n1'),
      await api.post('/v1/nodes', { driver: 'test-hardware', name: 'n2' }),
      await api.patch('/v1/nodes/n1', [{ op: 'add', path: '/extra/a', value: 'b' }]),
    ]) {
      expect(response.statusCode).toBe(503);
      expect(faultOf(response.body)).toEqual({
        faultcode: 'Server',
        faultstring: 'The database is unavailable; please try again later.',
        debuginfo: null,
      });
      expect(response.body).not.toContain('127.0.0.1');
      expect(response.body).not.toContain(String(proxy.port));
    }
    const health = await t.conductor.api.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'unavailable', reason: 'the database does not answer' });

    proxy.restore();
    const back = await api.get('/v1/nodes/n1');
    expect(back.statusCode).toBe(200);
    expect(faultstring(await api.get('/v1/nodes/nope'))).toBe('Node nope could not be found.');
    expect((await t.conductor.api.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers 503 while this conductor, fenced by a long outage, has not heartbeated again', async () => {
    proxy.cut();
    // Longer than heartbeat_timeout (60 s) without a heartbeat reaching the database: fenced.
    await t.advance(70_000);
    expect(t.conductor.membership.fenced).toBe(true);
    proxy.restore();
    const refused = await api.patch('/v1/nodes/n1', [{ op: 'add', path: '/extra/b', value: 'c' }]);
    expect(refused.statusCode).toBe(503);
    expect(faultOf(refused.body)).toEqual({
      faultcode: 'Server',
      faultstring: 'The conductor is reconnecting to the database after an outage; please try again later.',
      debuginfo: null,
    });
    await t.advance(10_000);
    expect(t.conductor.membership.fenced).toBe(false);
    expect((await api.patch('/v1/nodes/n1', [{ op: 'add', path: '/extra/b', value: 'c' }])).statusCode).toBe(
      200,
    );
  });
});
