import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

describe('ramdisk agent API: GET /v1/lookup and POST /v1/heartbeat', () => {
  let t: TestConductor;
  beforeAll(async () => {
    // Fast track off, as Ironic's default: only a node's own driver_info.fast_track turns it on.
    t = await startTestConductor({ agent: { fast_track: false } });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const agent = apiClient(() => t.conductor.api, '1.62');
  const heartbeatClient = apiClient(() => t.conductor.api, '1.68');
  const nodeIn = (state: string, fields: Record<string, unknown> = {}) =>
    t.conductor.repository.create({
      driver: 'test-hardware',
      provision_state: state as never,
      properties: { cpus: 4 },
      ...fields,
    });
  const addPort = (node_uuid: string, address: string) => t.conductor.ports.create({ node_uuid, address });

  it('hands the token out on the first lookup only, with Ironic links and the whole config block', async () => {
    const node = await nodeIn('wait call-back');
    const first = await agent.get(`/v1/lookup?addresses=52%3A54%3A00%3A12%3A34%3A56&node_uuid=${node.uuid}`);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.node).toEqual({
      uuid: node.uuid,
      properties: { cpus: 4 },
      instance_info: {},
      driver_internal_info: { agent_secret_token: '******' },
      links: [
        { href: `http://localhost:80/v1/nodes/${node.uuid}`, rel: 'self' },
        { href: `http://localhost:80/nodes/${node.uuid}`, rel: 'bookmark' },
      ],
    });
    expect(body.config).toEqual({
      metrics: {
        backend: 'noop',
        prepend_host: false,
        prepend_uuid: false,
        prepend_host_reverse: true,
        global_prefix: null,
      },
      metrics_statsd: { statsd_host: 'localhost', statsd_port: 8125 },
      heartbeat_timeout: 300,
      agent_token: expect.stringMatching(/^[\w-]{32,}$/),
      agent_token_required: true,
      disable_deep_image_inspection: false,
      permitted_image_formats: ['raw', 'qcow2', 'iso'],
      enable_bios_bootloader_install: true,
    });
    expect((await agent.get(`/v1/lookup?node_uuid=${node.uuid}`)).json().config.agent_token).toBe('******');
    const shown = await agent.get(`/v1/nodes/${node.uuid}`, '1.82');
    expect(shown.body).not.toContain(body.config.agent_token);
  });

  it("finds the node by its ports' MAC addresses, ignoring malformed ones", async () => {
    const node = await nodeIn('clean wait');
    await addPort(node.uuid, '52:54:00:00:aa:01');
    await addPort(node.uuid, '52:54:00:00:aa:02');
    const found = await agent.get('/v1/lookup?addresses=not-a-mac,52:54:00:00:AA:02');
    expect(found.statusCode).toBe(200);
    expect(found.json().node.uuid).toBe(node.uuid);
    // Addresses of two nodes match no node.
    const other = await nodeIn('clean wait');
    await addPort(other.uuid, '52:54:00:00:bb:01');
    expect((await agent.get('/v1/lookup?addresses=52:54:00:00:aa:01,52:54:00:00:bb:01')).statusCode).toBe(
      404,
    );
  });

  it('answers as Ironic: 400 without a key or with a malformed UUID, the same vague 404 otherwise', async () => {
    const active = await nodeIn('active');
    await addPort(active.uuid, '52:54:00:00:cc:01');
    expect(faultstring(await agent.get('/v1/lookup'))).toBe(
      "At least one of 'addresses' and 'node_uuid' parameters is required",
    );
    expect(faultstring(await agent.get('/v1/lookup?addresses=zz'))).toBe(
      "At least one of 'addresses' and 'node_uuid' parameters is required",
    );
    const malformed = await agent.get('/v1/lookup?node_uuid=bad');
    expect(malformed.statusCode).toBe(400);
    expect(faultstring(malformed)).toBe('Expected UUID for node_uuid: bad');
    for (const query of [
      'node_uuid=1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
      `node_uuid=${active.uuid}`,
      'addresses=52:54:00:00:cc:01',
      'addresses=52:54:00:00:cc:99',
    ]) {
      const response = await agent.get(`/v1/lookup?${query}`);
      expect(response.statusCode, query).toBe(404);
      expect(faultstring(response)).toBe('Resource could not be found.');
    }
    expect(faultstring(await agent.get('/v1/lookup?node_uuid=x&colour=red'))).toBe(
      'Unexpected arguments: colour',
    );
  });

  it("lets a node's driver_info.fast_track decide whether its ramdisk may stay up", async () => {
    const idle = await nodeIn('manageable');
    expect((await agent.get(`/v1/lookup?node_uuid=${idle.uuid}`)).statusCode).toBe(404);
    const fast = await nodeIn('available', { driver_info: { fast_track: 'true' } });
    expect((await agent.get(`/v1/lookup?node_uuid=${fast.uuid}`)).statusCode).toBe(200);
    const broken = await nodeIn('available', { driver_info: { fast_track: 'maybe' } });
    const refused = await agent.get(`/v1/lookup?node_uuid=${broken.uuid}`);
    expect(refused.statusCode).toBe(400);
    expect(faultstring(refused)).toContain("Invalid value of fast_track: Unrecognized value 'maybe'");
  });

  it('accepts a heartbeat with the right token (202, empty body) and hands it to the deploy interface', async () => {
    const node = await nodeIn('wait call-back');
    const token = (await agent.get(`/v1/lookup?node_uuid=${node.uuid}`)).json().config.agent_token as string;
    const beat = (body: Record<string, unknown>, ident: string = node.uuid, version?: string) =>
      heartbeatClient.post(`/v1/heartbeat/${ident}`, body, version);
    const ok = await beat({
      callback_url: 'http://127.0.0.1:9999',
      agent_version: '9.4.0',
      agent_token: token,
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.body).toBe('');
    await t.conductor.background.settled();
    expect(t.deploy.heartbeats).toEqual([
      { node: node.uuid, callback_url: 'http://127.0.0.1:9999', shared: true },
    ]);
    for (const [body, message] of [
      [
        { callback_url: 'http://127.0.0.1:9999', agent_version: '9.4.0', agent_token: 'x'.repeat(43) },
        'Invalid or missing agent token received.',
      ],
      [
        { callback_url: 'http://127.0.0.1:9999', agent_version: '9.4.0' },
        'Agent token is required for heartbeat processing.',
      ],
      [
        { callback_url: 'http://127.0.0.1:9999', agent_token: token },
        'Heartbeat field "agent_version" is required.',
      ],
      [
        { callback_url: 'http://127.0.0.1:9999', agent_version: '1', agent_token: token, extra: 1 },
        'Unexpected arguments: extra',
      ],
    ] as const) {
      const response = await beat(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(faultstring(response)).toContain(message);
    }
    expect(
      faultstring(
        await beat(
          { callback_url: 'http://127.0.0.1:9999', agent_version: '1', agent_token: token },
          node.uuid,
          '1.35',
        ),
      ),
    ).toBe('Field "agent_version" not recognised');
    expect(
      (
        await beat(
          { callback_url: 'http://127.0.0.1:9999', agent_version: '1', agent_token: token },
          'no-such-node',
        )
      ).statusCode,
    ).toBe(404);
    await t.conductor.background.settled();
    expect(t.deploy.heartbeats).toHaveLength(1);
    expect((await t.conductor.repository.get(node.uuid))?.reservation).toBeNull();
  });
});
