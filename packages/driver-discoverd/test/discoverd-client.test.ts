import { randomUUID } from 'node:crypto';
import {
  type DiscoverdSimulator,
  HttpConcurrencyProbe,
  type IronicApiStandIn,
  type StandInNode,
  startDiscoverdSimulator,
  startIronicApiStandIn,
} from '@ironic/simulators';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DiscoverdClient,
  DiscoverdError,
  DiscoverdNodeNotFound,
  DiscoverdNodeNotInIronic,
  DiscoverdUnreachable,
} from '../src/index.js';
import { deadUrl } from './helpers.js';

describe('DiscoverdClient against the simulator', () => {
  let now = Date.UTC(2026, 2, 1);
  let simulator: DiscoverdSimulator;
  let ironic: IronicApiStandIn;
  /** The nodes the Ironic API discoverd asks knows. */
  const known = new Map<string, StandInNode>();
  const enrolled = (uuid = randomUUID()) => {
    known.set(uuid, { uuid, provision_state: 'inspecting' });
    return uuid;
  };
  let http: Agent;
  const clientFor = (
    url: string,
    overrides: { requestTimeoutMs?: number; maxConcurrentRequests?: number } = {},
  ) => new DiscoverdClient({ url, http, requestTimeoutMs: 60_000, maxConcurrentRequests: 4, ...overrides });

  beforeEach(async () => {
    known.clear();
    ironic = await startIronicApiStandIn({
      get: (ident) => known.get(ident),
      list: () => [...known.values()],
    });
    simulator = await startDiscoverdSimulator({ clock: { now: () => now }, ironicUrl: ironic.url });
    http = new Agent();
  });
  afterEach(async () => {
    await http.close();
    await simulator.close();
    await ironic.close();
  });

  it('starts, reports status, returns the processed data, and aborts', async () => {
    const client = clientFor(`${simulator.url}/`);
    const node = enrolled();
    now += 123;
    simulator.configureNode(node, { durationMs: 10_000, hardware: { cpus: 4 } });
    await client.startIntrospection(node);
    expect(await client.getStatus(node)).toMatchObject({ finished: false, error: null, state: 'starting' });
    now += 10_000;
    const status = await client.getStatus(node);
    expect(status).toMatchObject({ finished: true, error: null, state: 'finished' });
    // Python's isoformat, with microseconds.
    expect(status.finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const data = await client.getData(node);
    expect(data).toMatchObject({ cpus: 4, inventory: { cpu: { count: 4 } } });

    const other = enrolled();
    simulator.configureNode(other, { durationMs: 100_000 });
    await client.startIntrospection(other);
    now += 50_000;
    await client.abortIntrospection(other);
    expect(await client.getStatus(other)).toMatchObject({ finished: true, error: 'Canceled by operator' });
  });

  it('throws typed errors: 404, 409, 5xx, closed connection, unreachable, too slow', async () => {
    const client = clientFor(simulator.url);
    const unknown = randomUUID();
    const lost = await client.getStatus(unknown).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(DiscoverdNodeNotFound);
    expect(lost).toMatchObject({ status: 404, code: 'DISCOVERD_NODE_NOT_FOUND', node: unknown });
    expect((lost as Error).message).toBe(
      `discoverd answered HTTP 404: Could not find node ${unknown} in cache`,
    );

    const stranger = randomUUID();
    const notInIronic = await client.startIntrospection(stranger).catch((error: unknown) => error);
    expect(notInIronic).toBeInstanceOf(DiscoverdNodeNotInIronic);
    expect(notInIronic).toBeInstanceOf(DiscoverdNodeNotFound);
    expect(notInIronic).toMatchObject({ status: 404, code: 'DISCOVERD_NODE_NOT_IN_IRONIC', node: stranger });
    expect((notInIronic as Error).message).toBe(
      `discoverd does not know node ${stranger} in the Ironic API it looks nodes up in ` +
        `(Node ${stranger} was not found in Ironic); point discoverd's [ironic] section at this conductor's API`,
    );

    const starting = enrolled();
    await client.startIntrospection(starting);
    const locked = await client.abortIntrospection(starting).catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(DiscoverdError);
    expect(locked).toMatchObject({ status: 409, transient: false, code: 'DISCOVERD_ERROR' });

    const broken = randomUUID();
    simulator.configureNode(broken, { serverError: true });
    await expect(client.getStatus(broken)).rejects.toMatchObject({
      name: 'DiscoverdError',
      status: 500,
      transient: true,
      discoverdMessage: 'Internal server error',
    });

    const dropped = randomUUID();
    simulator.configureNode(dropped, { closeConnection: true });
    await expect(client.getStatus(dropped)).rejects.toBeInstanceOf(DiscoverdUnreachable);

    // Only this call has a short timeout, and its answer would take an hour: load cannot change the outcome.
    const slow = enrolled();
    simulator.configureNode(slow, { responseDelayMs: 3_600_000 });
    const impatient = clientFor(simulator.url, { requestTimeoutMs: 150 });
    await expect(impatient.startIntrospection(slow)).rejects.toMatchObject({
      name: 'DiscoverdUnreachable',
      code: 'DISCOVERD_UNREACHABLE',
      message: `discoverd at ${simulator.url} could not be reached: no answer within 0.15 s`,
    });

    const url = await deadUrl();
    const nowhere = await clientFor(url)
      .getStatus(randomUUID())
      .catch((error: unknown) => error);
    expect(nowhere).toBeInstanceOf(DiscoverdUnreachable);
    expect((nowhere as DiscoverdUnreachable).url).toBe(url);
    expect((nowhere as Error).message).toMatch(`discoverd at ${url} could not be reached: `);
  });

  it('never has more than maxConcurrentRequests requests in flight', async () => {
    const client = clientFor(simulator.url, { maxConcurrentRequests: 3 });
    const nodes = Array.from({ length: 12 }, () => enrolled());
    const probe = new HttpConcurrencyProbe({ origins: [simulator.url] });
    try {
      await Promise.all(nodes.map((node) => client.startIntrospection(node)));
      await Promise.all(nodes.map((node) => client.getStatus(node)));
    } finally {
      probe.stop();
    }
    expect(simulator.stats.requests).toBe(24);
    // Reached and never passed, as undici saw the requests leave, and as discoverd saw them arrive.
    expect(probe.peak).toBe(3);
    expect(simulator.stats.maxConcurrentRequests).toBeLessThanOrEqual(3);
  });

  it('refuses a bad bound or timeout', () => {
    expect(() => clientFor(simulator.url, { maxConcurrentRequests: 0 })).toThrow(
      'DiscoverdClient: maxConcurrentRequests must be an integer >= 1, got 0',
    );
    expect(() => clientFor(simulator.url, { requestTimeoutMs: 0 })).toThrow(
      'DiscoverdClient: requestTimeoutMs must be > 0, got 0',
    );
  });
});
