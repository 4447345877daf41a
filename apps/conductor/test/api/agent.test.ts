import { afterEach, describe, expect, it } from 'vitest';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

describe('ramdisk agent API: GET /v1/lookup and POST /v1/heartbeat', () => {
  let test: TestConductor;
  afterEach(async () => test?.conductor.stop());

  async function nodeIn(state: string) {
    const { conductor } = test;
    return conductor.repository.create({
      driver: 'test-hardware',
      provision_state: state as never,
      properties: { cpus: 4 },
    });
  }

  it('hands the token out on the first lookup only, with Ironic links, and masks it afterwards', async () => {
    test = await startTestConductor();
    const node = await nodeIn('wait call-back');
    const lookup = (query: string) =>
      test.conductor.api.inject({
        method: 'GET',
        url: `/v1/lookup?${query}`,
        headers: { ...JSON_HEADERS, 'x-openstack-ironic-api-version': '1.62' },
      });
    const first = await lookup(`addresses=52%3A54%3A00%3A12%3A34%3A56&node_uuid=${node.uuid}`);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.node).toMatchObject({ uuid: node.uuid, properties: { cpus: 4 }, instance_info: {} });
    expect(body.node.links[0].href).toMatch(new RegExp(`/v1/nodes/${node.uuid}$`));
    expect(body.config).toMatchObject({ heartbeat_timeout: 300, agent_token_required: true });
    expect(body.config.agent_token.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(body.node.driver_internal_info)).not.toContain(body.config.agent_token);
    const second = await lookup(`node_uuid=${node.uuid}`);
    expect(second.json().config.agent_token).toBe('******');
    const shown = await test.conductor.api.inject({ method: 'GET', url: `/v1/nodes/${node.uuid}` });
    expect(shown.body).not.toContain(body.config.agent_token);
  });

  it('answers 400 without a key or with a bad MAC, and 404 for unknown nodes or states without a ramdisk', async () => {
    test = await startTestConductor();
    const active = await nodeIn('active');
    const get = (query: string) => test.conductor.api.inject({ method: 'GET', url: `/v1/lookup${query}` });
    expect((await get('')).statusCode).toBe(400);
    const badMac = await get('?addresses=not-a-mac');
    expect(badMac.statusCode).toBe(400);
    expect(faultOf(badMac.body).faultstring).toContain('not-a-mac');
    expect((await get('?node_uuid=1be26c0b-03f2-4d2e-ae87-c02d7f33c123')).statusCode).toBe(404);
    expect((await get(`?node_uuid=${active.uuid}`)).statusCode).toBe(404);
  });

  it('accepts a heartbeat with the right token (202, empty body) and hands it to the deploy interface', async () => {
    test = await startTestConductor();
    const node = await nodeIn('wait call-back');
    const lookup = await test.conductor.api.inject({
      method: 'GET',
      url: `/v1/lookup?node_uuid=${node.uuid}`,
    });
    const token = lookup.json().config.agent_token as string;
    const beat = (body: object, ident: string = node.uuid) =>
      test.conductor.api.inject({
        method: 'POST',
        url: `/v1/heartbeat/${ident}`,
        headers: JSON_HEADERS,
        payload: body,
      });
    const ok = await beat({
      callback_url: 'http://127.0.0.1:9999',
      agent_version: '9.4.0',
      agent_token: token,
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.body).toBe('');
    await test.conductor.background.settled();
    expect(test.deploy.heartbeats).toEqual([
      { node: node.uuid, callback_url: 'http://127.0.0.1:9999', shared: true },
    ]);

    const wrong = await beat({
      callback_url: 'http://127.0.0.1:9999',
      agent_version: '9.4.0',
      agent_token: 'x'.repeat(43),
    });
    expect(wrong.statusCode).toBe(400);
    expect(faultOf(wrong.body).faultstring).toBe('Invalid or missing agent token received.');
    const missing = await beat({ callback_url: 'http://127.0.0.1:9999', agent_version: '9.4.0' });
    expect(faultOf(missing.body).faultstring).toBe('Agent token is required for heartbeat processing.');
    expect((await beat({ callback_url: 'http://127.0.0.1:9999', agent_token: token })).statusCode).toBe(400);
    expect(
      (
        await beat({
          callback_url: 'http://127.0.0.1:9999',
          agent_version: '1',
          agent_token: token,
          extra: 1,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await beat(
          { callback_url: 'http://127.0.0.1:9999', agent_version: '1', agent_token: token },
          'no-such-node',
        )
      ).statusCode,
    ).toBe(404);
    await test.conductor.background.settled();
    expect(test.deploy.heartbeats).toHaveLength(1);
    const after = await test.conductor.repository.get(node.uuid);
    expect(after?.reservation).toBeNull();
  });
});
