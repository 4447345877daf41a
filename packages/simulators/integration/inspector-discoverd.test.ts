// The discoverd simulator held against the real ironic-inspector 11.1 (Debian's, standalone, noauth, SQLite):
// both look nodes up in the same real Ironic 21.4, and get the same requests; their answers are compared.
// The real services run on the real clock, so the test polls them (boundedly) where they work in the
// background; the simulator runs on a fake clock the test moves.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@ironic/periodic-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscoverdSimulator, startDiscoverdSimulator } from '../src/discoverd/index.js';
import { type RunningService, startInspector, startIronic } from './support/openstack-services.js';
import { pythonPeer } from './support/peers.js';

const peers = pythonPeer(['ironic', 'ironic_inspector'], 'python3-ironic and ironic-inspector');
/** inspector's `clean_up_period` here, and the simulator's sync period: seconds. */
const SYNC_S = 1;
const MICROSECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly minVersion: string | null;
  readonly maxVersion: string | null;
  readonly text: string;
  readonly json: unknown;
}

async function ask(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { method, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    minVersion: response.headers.get('x-openstack-ironic-inspector-api-minimum-version'),
    maxVersion: response.headers.get('x-openstack-ironic-inspector-api-maximum-version'),
    text,
    json,
  };
}

/** The parts of an answer that must match between the real service and the simulator. */
function comparable(answer: Answer) {
  return {
    status: answer.status,
    contentType: answer.contentType,
    minVersion: answer.minVersion,
    maxVersion: answer.maxVersion,
  };
}

/** Polls `read` on the real clock until `done` holds (at most `limitMs`): the real inspector works in the background. */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  limitMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(peers.skip)('the discoverd simulator and the real ironic-inspector 11.1', () => {
  let ironic: RunningService | undefined;
  let inspector: RunningService | undefined;
  let simulator: DiscoverdSimulator | undefined;
  const clock = new ManualClock(Date.UTC(2026, 0, 1) + 123);

  /** Sends the same request to both; resolves to their answers. */
  async function both(method: string, path: string, headers: Record<string, string> = {}) {
    const [real, simulated] = await Promise.all([
      ask(inspector?.url ?? '', method, path, headers),
      ask(simulator?.url ?? '', method, path, headers),
    ]);
    return { real, simulated };
  }

  /** A node in the real Ironic, with a port so inspector can look it up after booting it. */
  async function enroll(name: string): Promise<string> {
    const headers = { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.82' };
    const created = await fetch(`${ironic?.url}/v1/nodes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name, driver: 'fake-hardware' }),
    });
    expect(created.status).toBe(201);
    const { uuid } = (await created.json()) as { uuid: string };
    const mac = `52:54:00:${uuid.slice(0, 2)}:${uuid.slice(2, 4)}:${uuid.slice(4, 6)}`;
    const port = await fetch(`${ironic?.url}/v1/ports`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ node_uuid: uuid, address: mac }),
    });
    expect(port.status).toBe(201);
    return uuid;
  }

  async function ironicNode(uuid: string): Promise<{ provision_state: string }> {
    const answer = await fetch(`${ironic?.url}/v1/nodes/${uuid}`, {
      headers: { 'X-OpenStack-Ironic-API-Version': '1.82' },
    });
    return (await answer.json()) as { provision_state: string };
  }

  async function setProvision(uuid: string, target: string): Promise<void> {
    const answer = await fetch(`${ironic?.url}/v1/nodes/${uuid}/states/provision`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.82' },
      body: JSON.stringify({ target }),
    });
    expect(answer.status).toBe(202);
  }

  beforeAll(async () => {
    peers.assertPresent();
    const python = peers.python as string;
    ironic = await startIronic(python);
    inspector = await startInspector(python, ironic.url, SYNC_S);
    simulator = await startDiscoverdSimulator({ clock, ironicUrl: ironic.url, syncPeriodMs: SYNC_S * 1000 });
  });
  afterAll(async () => {
    await simulator?.close();
    await inspector?.stop();
    await ironic?.stop();
  });

  it('serves the same version documents and headers, up to API 1.18', async () => {
    const root = await both('GET', '/');
    expect(comparable(root.simulated)).toEqual(comparable(root.real));
    expect(root.real.maxVersion).toBe('1.18');
    const versions = (answer: Answer) =>
      (answer.json as { versions: { id: string; status: string }[] }).versions.map(({ id, status }) => ({
        id,
        status,
      }));
    expect(versions(root.simulated)).toEqual(versions(root.real));

    const v1 = await both('GET', '/v1');
    expect(comparable(v1.simulated)).toEqual(comparable(v1.real));
    const names = (answer: Answer) =>
      (answer.json as { resources: { name: string }[] }).resources.map((resource) => resource.name);
    expect(names(v1.simulated)).toEqual(names(v1.real));

    for (const version of ['1.19', 'one', '2.0']) {
      const refused = await both('GET', '/v1/introspection', {
        'X-OpenStack-Ironic-Inspector-API-Version': version,
      });
      expect(comparable(refused.simulated), version).toEqual(comparable(refused.real));
      expect(refused.simulated.text, version).toBe(refused.real.text);
    }
  });

  it('answers 404 "Node … was not found in Ironic" to a start of a node Ironic does not know, by UUID or name', async () => {
    for (const ident of [randomUUID(), 'no-such-node']) {
      const answer = await both('POST', `/v1/introspection/${ident}`);
      expect(answer.real.status).toBe(404);
      expect(comparable(answer.simulated)).toEqual(comparable(answer.real));
      expect(answer.simulated.json).toEqual(answer.real.json);
      expect(answer.real.json).toEqual({ error: { message: `Node ${ident} was not found in Ironic` } });
    }
  });

  it('refuses a node in a state introspection cannot start from, alike', async () => {
    const uuid = await enroll('insp-available');
    await setProvision(uuid, 'manage');
    await eventually(
      () => ironicNode(uuid),
      (node) => node.provision_state === 'manageable',
    );
    await setProvision(uuid, 'provide');
    const node = await eventually(
      () => ironicNode(uuid),
      (found) => found.provision_state === 'available',
    );
    expect(node.provision_state).toBe('available');
    const answer = await both('POST', `/v1/introspection/${uuid}`);
    expect(answer.real.status).toBe(400);
    expect(comparable(answer.simulated)).toEqual(comparable(answer.real));
    // inspector prints its set of valid states in the order of a Python frozenset: any order.
    const sorted = (a: Answer) =>
      (a.json as { error: { message: string } }).error.message.replace(/\[.*\]/, (list) =>
        list.slice(1, -1).split(', ').sort().join(', '),
      );
    expect(sorted(answer.simulated)).toBe(sorted(answer.real));
  });

  it('starts with 202 and {} as JSON, reports status alike with microseconds, and leaves starting at once', async () => {
    const first = await enroll('insp-first');
    const second = await enroll('insp-second');
    const unknownStatus = await both('GET', `/v1/introspection/${first}`);
    expect(unknownStatus.real.status).toBe(404);
    expect(comparable(unknownStatus.simulated)).toEqual(comparable(unknownStatus.real));
    expect(unknownStatus.simulated.json).toEqual(unknownStatus.real.json);

    const started = await both('POST', `/v1/introspection/${first}`);
    expect(started.real.status).toBe(202);
    expect(comparable(started.simulated)).toEqual(comparable(started.real));
    expect(started.simulated.text).toBe(started.real.text);
    const byName = await both('POST', '/v1/introspection/insp-second');
    expect(byName.real.status).toBe(202);
    expect(comparable(byName.simulated)).toEqual(comparable(byName.real));

    // The real one boots the node through Ironic in the background and waits for its ramdisk.
    const real = await eventually(
      () => ask(inspector?.url ?? '', 'GET', `/v1/introspection/${first}`),
      (answer) => (answer.json as { state: string }).state !== 'starting',
      30_000,
    );
    await clock.advance(1_000);
    const simulated = await ask(simulator?.url ?? '', 'GET', `/v1/introspection/${first}`);
    expect(comparable(simulated)).toEqual(comparable(real));
    const realStatus = real.json as Record<string, unknown>;
    const simStatus = simulated.json as Record<string, unknown>;
    expect(Object.keys(simStatus)).toEqual(Object.keys(realStatus));
    expect(simStatus).toMatchObject({
      uuid: first,
      state: 'waiting',
      finished: false,
      error: null,
      finished_at: null,
    });
    expect(realStatus).toMatchObject({
      uuid: first,
      state: 'waiting',
      finished: false,
      error: null,
      finished_at: null,
    });
    expect(realStatus.started_at).toMatch(MICROSECONDS);
    expect(simStatus.started_at).toMatch(MICROSECONDS);
    expect((simStatus.links as { rel: string }[])[0]?.rel).toBe(
      (realStatus.links as { rel: string }[])[0]?.rel,
    );

    const secondByName = await both('GET', '/v1/introspection/insp-second');
    expect(comparable(secondByName.simulated)).toEqual(comparable(secondByName.real));
    expect((secondByName.simulated.json as { uuid: string }).uuid).toBe(second);
    expect((secondByName.real.json as { uuid: string }).uuid).toBe(second);

    const list = await both('GET', '/v1/introspection');
    expect(comparable(list.simulated)).toEqual(comparable(list.real));
    const uuids = (answer: Answer) =>
      (answer.json as { introspection: { uuid: string }[] }).introspection.map((item) => item.uuid).sort();
    expect(uuids(list.simulated)).toEqual(uuids(list.real));

    const noData = await both('GET', `/v1/introspection/${first}/data`);
    expect(noData.real.status).toBe(404);
    expect(comparable(noData.simulated)).toEqual(comparable(noData.real));
    expect(noData.simulated.json).toEqual(noData.real.json);
  });

  it('aborts a waiting introspection alike: 202 {}, then error "Canceled by operator"', async () => {
    const uuid = await enroll('insp-abort');
    await both('POST', `/v1/introspection/${uuid}`);
    await eventually(
      () => ask(inspector?.url ?? '', 'GET', `/v1/introspection/${uuid}`),
      (answer) => (answer.json as { state: string }).state === 'waiting',
      30_000,
    );
    await clock.advance(1_000);
    const aborted = await both('POST', `/v1/introspection/${uuid}/abort`);
    expect(aborted.real.status).toBe(202);
    expect(comparable(aborted.simulated)).toEqual(comparable(aborted.real));
    expect(aborted.simulated.text).toBe(aborted.real.text);
    const real = await eventually(
      () => ask(inspector?.url ?? '', 'GET', `/v1/introspection/${uuid}`),
      (answer) => (answer.json as { finished: boolean }).finished,
      30_000,
    );
    const simulated = await ask(simulator?.url ?? '', 'GET', `/v1/introspection/${uuid}`);
    const ending = (answer: Answer) => {
      const { state, finished, error } = answer.json as Record<string, unknown>;
      return { state, finished, error };
    };
    expect(ending(simulated)).toEqual(ending(real));
    expect(ending(real)).toEqual({ state: 'error', finished: true, error: 'Canceled by operator' });
    expect((real.json as { finished_at: string }).finished_at).toMatch(MICROSECONDS);
  });

  it('drops a node deleted from Ironic at its periodic sync: later polls 404 alike', async () => {
    const uuid = await enroll('insp-deleted');
    await both('POST', `/v1/introspection/${uuid}`);
    const deleted = await fetch(`${ironic?.url}/v1/nodes/${uuid}`, {
      method: 'DELETE',
      headers: { 'X-OpenStack-Ironic-API-Version': '1.82' },
    });
    expect(deleted.status).toBe(204);
    const real = await eventually(
      () => ask(inspector?.url ?? '', 'GET', `/v1/introspection/${uuid}`),
      (answer) => answer.status === 404,
      30_000,
    );
    await clock.advance(SYNC_S * 1000);
    const simulated = await ask(simulator?.url ?? '', 'GET', `/v1/introspection/${uuid}`);
    expect(real.status).toBe(404);
    expect(comparable(simulated)).toEqual(comparable(real));
    expect(simulated.json).toEqual(real.json);
    expect(real.json).toEqual({ error: { message: `Could not find node ${uuid} in cache` } });
  });
});
