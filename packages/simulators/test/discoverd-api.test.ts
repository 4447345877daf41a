import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscoverdSimulator, startDiscoverdSimulator } from '../src/discoverd/index.js';
import { call, FakeClock, NODE_A, NODE_B, NODE_C, TestIronic } from './discoverd-helpers.js';

let clock: FakeClock;
let sim: DiscoverdSimulator;
let ironic: TestIronic;

beforeEach(async () => {
  clock = new FakeClock();
  ironic = await TestIronic.start();
  sim = await startDiscoverdSimulator({ clock, ironicUrl: ironic.url });
});

afterEach(async () => {
  await sim.close();
  await ironic.close();
});

describe('version documents', () => {
  it('serves the root version document with inspector version headers', async () => {
    const res = await call(sim.url, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-openstack-ironic-inspector-api-minimum-version')).toBe('1.0');
    expect(res.headers.get('x-openstack-ironic-inspector-api-maximum-version')).toBe('1.18');
    expect(res.json).toEqual({
      versions: [{ id: '1.18', links: [{ href: `${sim.url}/v1`, rel: 'self' }], status: 'CURRENT' }],
    });
  });

  it('serves the v1 resource list and 404s an unknown version', async () => {
    const v1 = await call(sim.url, 'GET', '/v1');
    expect(v1.json).toEqual({
      resources: [
        { links: [{ href: `${sim.url}/v1/continue`, rel: 'self' }], name: 'continue' },
        { links: [{ href: `${sim.url}/v1/introspection`, rel: 'self' }], name: 'introspection' },
        { links: [{ href: `${sim.url}/v1/rules`, rel: 'self' }], name: 'rules' },
      ],
    });
    const v2 = await call(sim.url, 'GET', '/v2');
    expect(v2.status).toBe(404);
    expect(v2.json).toEqual({ error: { message: 'Version v2 not found.' } });
  });

  it('refuses malformed (500, as inspector 11.1 does) and unsupported (406) requested versions, with the range headers', async () => {
    const malformed = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`, {
      'X-OpenStack-Ironic-Inspector-API-Version': 'one',
    });
    // As inspector 11.1 does: its 400 for this trips over its own version check, and Flask sends a 500 page.
    expect(malformed.status).toBe(500);
    expect(malformed.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(malformed.text).toContain('<title>500 Internal Server Error</title>');
    const tooNew = await call(sim.url, 'GET', '/v1/introspection', {
      'X-OpenStack-Ironic-Inspector-API-Version': '1.99',
    });
    expect(tooNew.status).toBe(406);
    expect(tooNew.json).toEqual({
      error: { message: 'Unsupported API version 1.99, supported range is 1.0 to 1.18' },
    });
    expect(tooNew.headers.get('x-openstack-ironic-inspector-api-maximum-version')).toBe('1.18');
    const latest = await call(sim.url, 'GET', '/', { 'X-OpenStack-Ironic-Inspector-API-Version': 'latest' });
    expect(latest.status).toBe(200);
    const oldest = await call(sim.url, 'HEAD', '/', { 'X-OpenStack-Ironic-Inspector-API-Version': '1.0' });
    expect(oldest.status).toBe(200);
  });

  it('answers an unknown path with a JSON 404 and a wrong method with 405', async () => {
    const missing = await call(sim.url, 'GET', '/v1/introspection/a/b/c');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { message: expect.stringContaining('404 Not Found') } });
    const wrongMethod = await call(sim.url, 'DELETE', `/v1/introspection/${NODE_A}`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('introspection lifecycle', () => {
  it('starts with 202 and {} as JSON, then reports progress as the clock advances', async () => {
    const start = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    expect(start.status).toBe(202);
    expect(start.headers.get('content-type')).toBe('application/json');
    expect(start.text).toBe('{}\n');
    expect(start.headers.get('x-openstack-ironic-inspector-api-maximum-version')).toBe('1.18');

    // The default 30 s run: a second starting, waiting for the ramdisk until 80 %, then processing.
    const seen: [number, string][] = [];
    let elapsed = 0;
    for (const at of [0, 999, 1_000, 23_999, 24_000, 29_999, 30_000]) {
      clock.advance(at - elapsed);
      elapsed = at;
      const status = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`);
      expect(status.status).toBe(200);
      seen.push([at, (status.json as { state: string }).state]);
    }
    expect(seen).toEqual([
      [0, 'starting'],
      [999, 'starting'],
      [1_000, 'waiting'],
      [23_999, 'waiting'],
      [24_000, 'processing'],
      [29_999, 'processing'],
      [30_000, 'finished'],
    ]);
  });

  it('renders status exactly like inspector, timestamps with microseconds, keys sorted', async () => {
    sim.configureNode(NODE_A, { durationMs: 149_000 });
    clock.advance(123);
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    const running = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`);
    expect(running.json).toEqual({
      uuid: NODE_A,
      state: 'starting',
      finished: false,
      error: null,
      started_at: '2026-03-01T08:00:00.123000',
      finished_at: null,
      links: [{ href: `${sim.url}/v1/introspection/${NODE_A}`, rel: 'self' }],
    });
    expect(Object.keys(running.json as object)).toEqual([
      'error',
      'finished',
      'finished_at',
      'links',
      'started_at',
      'state',
      'uuid',
    ]);
    clock.advance(149_000);
    const done = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/`);
    expect(done.json).toEqual({
      uuid: NODE_A,
      state: 'finished',
      finished: true,
      error: null,
      started_at: '2026-03-01T08:00:00.123000',
      finished_at: '2026-03-01T08:02:29.123000',
      links: [{ href: `${sim.url}/v1/introspection/${NODE_A}`, rel: 'self' }],
    });
    expect(sim.introspection(NODE_A)).toMatchObject({ state: 'finished', finished: true, error: null });
  });

  it('ends in error with the configured message', async () => {
    sim.configureNode(NODE_A, { durationMs: 10_000, fail: 'The PXE filter driver failed' });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(9_999);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).json).toMatchObject({
      state: 'processing',
      finished: false,
      error: null,
    });
    clock.advance(1);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).json).toMatchObject({
      state: 'error',
      finished: true,
      error: 'The PXE filter driver failed',
      finished_at: '2026-03-01T08:00:10',
    });
    const data = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/data`);
    expect(data.status).toBe(404);
  });

  it('404s the status of a node never started, with inspector message', async () => {
    const res = await call(sim.url, 'GET', `/v1/introspection/${NODE_B}`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { message: `Could not find node ${NODE_B} in cache` } });
  });

  it('404s a start of a node Ironic does not know, by UUID or by name', async () => {
    const unknown = '0e6b4a4d-0000-4000-8000-000000000000';
    for (const ident of [unknown, 'no-such-node']) {
      const res = await call(sim.url, 'POST', `/v1/introspection/${ident}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: { message: `Node ${ident} was not found in Ironic` } });
    }
    expect(sim.stats.startedNodes).toBe(0);
    expect(ironic.requests['GET /v1/nodes/{ident}']).toBe(2);
  });

  it('looks a name up in Ironic on every node route', async () => {
    ironic.add(NODE_C, 'manageable', 'rack1-node3');
    expect((await call(sim.url, 'POST', '/v1/introspection/rack1-node3')).status).toBe(202);
    expect(sim.introspection(NODE_C)?.state).toBe('starting');
    const byName = await call(sim.url, 'GET', '/v1/introspection/rack1-node3');
    expect(byName.json).toMatchObject({ uuid: NODE_C, state: 'starting' });
    for (const [method, path] of [
      ['GET', '/v1/introspection/not-a-node'],
      ['POST', '/v1/introspection/not-a-node/abort'],
      ['GET', '/v1/introspection/not-a-node/data'],
    ] as const) {
      const res = await call(sim.url, method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual({ error: { message: 'Node not-a-node was not found in Ironic' } });
    }
  });

  it('refuses to start a node in a state introspection cannot start from, as inspector does', async () => {
    ironic.add(NODE_C, 'active');
    const res = await call(sim.url, 'POST', `/v1/introspection/${NODE_C}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: {
        message:
          'Invalid provision state for introspection: "active", valid states are ' +
          `"['enroll', 'manageable', 'inspecting', 'inspect wait', 'inspect failed']"`,
      },
    });
  });

  it('answers 500 as inspector does when Ironic cannot be reached', async () => {
    await ironic.close();
    const res = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { message: 'Internal server error' } });
  });

  it('drops the nodes Ironic no longer has at its periodic sync: later polls 404', async () => {
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    await call(sim.url, 'POST', `/v1/introspection/${NODE_B}`);
    ironic.remove(NODE_A);
    clock.advance(59_999);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).status).toBe(200);
    clock.advance(1);
    const gone = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: { message: `Could not find node ${NODE_A} in cache` } });
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_B}`)).status).toBe(200);
    expect(sim.droppedBySync).toBe(1);
    expect(ironic.requests['GET /v1/nodes']).toBe(1);
  });

  it("ends an introspection that outlives inspector's timeout in error", async () => {
    await sim.close();
    sim = await startDiscoverdSimulator({ clock, ironicUrl: ironic.url, timeoutMs: 60_000 });
    sim.configureNode(NODE_A, { durationMs: 120_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(60_000);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).json).toMatchObject({
      state: 'error',
      finished: true,
      error: 'Introspection timeout',
    });
  });

  it('refuses a second start while starting or processing (400, state machine) and restarts from waiting', async () => {
    sim.configureNode(NODE_A, { durationMs: 100_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    const whileStarting = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    expect(whileStarting.status).toBe(400);
    expect(whileStarting.json).toEqual({
      error: { message: "Can not transition from state 'starting' on event 'start' (no defined transition)" },
    });

    clock.advance(85_000);
    const whileProcessing = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    expect(whileProcessing.status).toBe(400);
    expect(whileProcessing.json).toMatchObject({
      error: { message: expect.stringContaining("'processing'") },
    });

    await call(sim.url, 'POST', `/v1/introspection/${NODE_B}`);
    clock.advance(1_000);
    expect(sim.introspection(NODE_B)?.state).toBe('waiting');
    const restart = await call(sim.url, 'POST', `/v1/introspection/${NODE_B}`);
    expect(restart.status).toBe(202);
    expect(sim.introspection(NODE_B)).toMatchObject({ state: 'starting', startedAt: clock.now() });
    expect(sim.stats.startedNodes).toBe(3);
  });

  it('restarts a finished node and forgets its old data until it finishes again', async () => {
    sim.configureNode(NODE_A, { durationMs: 1_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(1_000);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/data`)).status).toBe(200);
    expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`)).status).toBe(202);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/data`)).status).toBe(404);
  });

  it('rejects a manage_boot value that is not a boolean', async () => {
    const res = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}?manage_boot=maybe`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { message: 'Invalid boolean value for manage_boot: maybe' } });
    expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_A}?manage_boot=false`)).status).toBe(202);
  });
});

describe('abort', () => {
  it('aborts a waiting introspection: 202, then error "Canceled by operator"', async () => {
    sim.configureNode(NODE_A, { durationMs: 60_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(20_000);
    const abort = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}/abort`);
    expect(abort.status).toBe(202);
    expect(abort.json).toEqual({});
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).json).toMatchObject({
      state: 'error',
      finished: true,
      error: 'Canceled by operator',
      finished_at: '2026-03-01T08:00:20',
    });
    clock.advance(60_000);
    expect(sim.introspection(NODE_A)?.state).toBe('error');
    expect(sim.stats.aborted).toBe(1);
  });

  it('shows aborting for the configured abort time', async () => {
    sim.configureNode(NODE_A, { durationMs: 60_000, abortDurationMs: 5_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(20_000);
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}/abort`);
    expect(sim.introspection(NODE_A)).toMatchObject({ state: 'aborting', finished: false });
    const again = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}/abort`);
    expect(again.status).toBe(409);
    clock.advance(4_999);
    expect(sim.introspection(NODE_A)?.state).toBe('aborting');
    clock.advance(1);
    expect(sim.introspection(NODE_A)).toMatchObject({ state: 'error', error: 'Canceled by operator' });
  });

  it('409s an abort while inspector holds the node lock (starting, processing)', async () => {
    sim.configureNode(NODE_A, { durationMs: 100_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    const starting = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}/abort`);
    expect(starting.status).toBe(409);
    expect(starting.json).toEqual({ error: { message: 'Node is locked, please, retry later' } });
    clock.advance(90_000);
    expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_A}/abort`)).status).toBe(409);
    expect(sim.stats.aborted).toBe(0);
  });

  it('accepts an abort of a finished introspection without changing it, and 404s an unknown node', async () => {
    sim.configureNode(NODE_A, { durationMs: 1_000 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(1_000);
    expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_A}/abort`)).status).toBe(202);
    expect(sim.introspection(NODE_A)).toMatchObject({ state: 'finished', error: null });
    const unknown = await call(sim.url, 'POST', `/v1/introspection/${NODE_C}/abort`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: { message: `Could not find node ${NODE_C} in cache` } });
  });
});

describe('list', () => {
  it('lists introspections newest first with limit and marker', async () => {
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(1_000);
    await call(sim.url, 'POST', `/v1/introspection/${NODE_B}`);
    clock.advance(1_000);
    await call(sim.url, 'POST', `/v1/introspection/${NODE_C}`);

    const all = await call(sim.url, 'GET', '/v1/introspection');
    const uuids = (all.json as { introspection: { uuid: string }[] }).introspection.map((item) => item.uuid);
    expect(uuids).toEqual([NODE_C, NODE_B, NODE_A]);
    expect((all.json as { introspection: unknown[] }).introspection[0]).toMatchObject({
      uuid: NODE_C,
      state: 'starting',
      links: [{ href: `${sim.url}/v1/introspection/${NODE_C}`, rel: 'self' }],
    });

    const page = await call(sim.url, 'GET', `/v1/introspection?limit=1&marker=${NODE_C}`);
    expect(
      (page.json as { introspection: { uuid: string }[] }).introspection.map((item) => item.uuid),
    ).toEqual([NODE_B]);
    expect((await call(sim.url, 'GET', '/v1/introspection?limit=1001')).status).toBe(400);
    expect((await call(sim.url, 'GET', '/v1/introspection?marker=nope')).status).toBe(400);
  });
});
