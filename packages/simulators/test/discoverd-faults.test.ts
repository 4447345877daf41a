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

describe('fault injection', () => {
  it('answers 500 with inspector error body and has no side effect', async () => {
    sim.configureNode(NODE_A, { serverError: true });
    const start = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    expect(start.status).toBe(500);
    expect(start.json).toEqual({ error: { message: 'Internal server error' } });
    expect(start.headers.get('x-openstack-ironic-inspector-api-minimum-version')).toBe('1.0');
    expect(sim.introspection(NODE_A)).toBeUndefined();
    expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_B}`)).status).toBe(202);

    sim.configureNode(NODE_A, {});
    expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`)).status).toBe(202);
  });

  it('closes the connection without an answer', async () => {
    sim.configureNode(NODE_A, { closeConnection: true });
    await expect(call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).rejects.toThrow();
    await expect(call(sim.url, 'POST', `/v1/introspection/${NODE_A}`)).rejects.toThrow();
    expect(sim.introspection(NODE_A)).toBeUndefined();
    expect((await call(sim.url, 'GET', '/')).status).toBe(200);
    const stats = sim.stats;
    expect(stats.inFlight).toBe(0);
    expect(stats.requests).toBe(3);
  });

  it('applies the default behaviour to every node without its own', async () => {
    sim.setDefaultBehaviour({ serverError: true });
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`)).status).toBe(500);
    sim.configureNode(NODE_B, { serverError: false });
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_B}`)).status).toBe(404);
    // The version documents are not about a node and stay healthy.
    expect((await call(sim.url, 'GET', '/')).status).toBe(200);
  });

  it('raises maxConcurrentRequests when slow answers overlap', async () => {
    for (const uuid of [NODE_A, NODE_B, NODE_C]) sim.configureNode(uuid, { responseDelayMs: 150 });
    sim.resetStats();
    const answers = await Promise.all(
      [NODE_A, NODE_B, NODE_C].map((uuid) => call(sim.url, 'POST', `/v1/introspection/${uuid}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(sim.stats).toMatchObject({
      requests: 3,
      inFlight: 0,
      maxConcurrentRequests: 3,
      startedNodes: 3,
      byRoute: { 'POST /v1/introspection/{node_id}': 3 },
    });
  });

  it('keeps maxConcurrentRequests at 1 for sequential requests and counts per route', async () => {
    sim.configureNode(NODE_A, { responseDelayMs: 20 });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    await call(sim.url, 'GET', `/v1/introspection/${NODE_A}`);
    await call(sim.url, 'GET', '/nothing/here');
    expect(sim.stats).toMatchObject({
      requests: 3,
      maxConcurrentRequests: 1,
      byRoute: { 'POST /v1/introspection/{node_id}': 1, 'GET /v1/introspection/{node_id}': 1, other: 1 },
    });
    sim.resetStats();
    expect(sim.stats).toEqual({
      requests: 0,
      inFlight: 0,
      maxConcurrentRequests: 0,
      byRoute: {},
      startedNodes: 0,
      aborted: 0,
    });
  });
});
