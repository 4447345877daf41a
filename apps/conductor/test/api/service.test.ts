import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';

const BOTH_DRIVERS = { enabled: ['@example/driver-test', '@ironic/driver-fake'] };

describe('versions, routing, drivers, periodic tasks, health and metrics', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor({ drivers: BOTH_DRIVERS });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const api = () => t.conductor.api;
  const client = apiClient(api);

  it('serves the version documents with both version headers and a request id', async () => {
    const root = await api().inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.json()).toMatchObject({
      name: 'OpenStack Ironic API',
      default_version: { id: 'v1', version: '1.82', min_version: '1.1', status: 'CURRENT' },
    });
    expect(root.headers['x-openstack-ironic-api-minimum-version']).toBe('1.1');
    expect(root.headers['x-openstack-ironic-api-maximum-version']).toBe('1.82');
    expect(root.headers['openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    const v1 = await api().inject({ url: '/v1/' });
    expect(v1.json()).toMatchObject({ id: 'v1', media_types: [{ base: 'application/json' }] });
    expect(v1.json().ports[0]).toEqual({ href: 'http://localhost:80/v1/ports/', rel: 'self' });
    expect((await api().inject({ url: '/v1' })).json()).toEqual(v1.json());
  });

  it('negotiates the microversion: none means 1.1, latest 1.82, others 406 in Ironic words', async () => {
    expect((await api().inject({ url: '/v1/nodes' })).headers['x-openstack-ironic-api-version']).toBe('1.1');
    expect((await client.get('/v1/nodes', '1.46')).headers['x-openstack-ironic-api-version']).toBe('1.46');
    expect((await client.get('/v1/nodes', 'latest')).headers['x-openstack-ironic-api-version']).toBe('1.82');
    for (const [version, description] of [
      [
        '1.83',
        'Version 1.83 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.82].',
      ],
      [
        '2.0',
        'Mutually exclusive versions requested. Version 2.0 requested but not supported by this service. The supported version range is: [1.1, 1.82].',
      ],
      ['banana', 'Invalid value for X-OpenStack-Ironic-API-Version header'],
    ]) {
      const refused = await client.get('/v1/nodes', version);
      expect(refused.statusCode, version).toBe(406);
      expect(refused.headers['x-openstack-ironic-api-maximum-version']).toBe('1.82');
      expect(refused.headers['openstack-request-id']).toBeDefined();
      expect(JSON.parse(refused.json().error_message)).toEqual({
        code: 406,
        title: 'Not Acceptable',
        description,
      });
    }
  });

  it("answers unknown routes 404 and wrong methods 405, with Ironic's web framework body", async () => {
    const unknown = await client.get('/v1/chassis-of-doom');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['openstack-request-id']).toMatch(/^req-/);
    expect(unknown.json()).toEqual({
      error_message: '{"code": 404, "title": "Not Found", "description": ""}',
    });
    for (const [method, url, allow] of [
      ['PUT', '/v1/nodes/some-node/states', 'GET'],
      ['PATCH', '/v1/drivers', 'GET'],
      ['POST', '/v1/nodes/some-node', 'GET, PATCH, DELETE'],
      ['GET', '/v1/nodes/some-node/maintenance/', 'PUT, DELETE'],
    ] as const) {
      const response = await api().inject({
        method,
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(response.statusCode, `${method} ${url}`).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(JSON.parse(response.json().error_message)).toMatchObject({
        code: 405,
        title: 'Method Not Allowed',
      });
    }
  });

  it('answers every route with and without a trailing slash', async () => {
    for (const url of [
      '/v1/nodes/?limit=1',
      '/v1/drivers/?type=dynamic&detail=True',
      '/v1/ports/',
      '/v1/nodes/detail/',
      '/v1/periodic-tasks/',
      '/healthz/',
    ]) {
      expect((await client.get(url)).statusCode, url).toBe(200);
    }
  });

  it('refuses arguments a route does not take, in query or body, in Ironic words', async () => {
    const listed = await client.get('/v1/nodes?foo=1&bar=2');
    expect(listed.statusCode).toBe(400);
    expect(faultstring(listed)).toBe('Unexpected arguments: bar, foo');
    expect(faultstring(await client.get('/v1/nodes/detail?fields=uuid'))).toBe(
      'Unexpected arguments: fields',
    );
    expect(faultstring(await client.get('/v1/drivers/fake-hardware?detail=True'))).toBe(
      'Unexpected arguments: detail',
    );
    const node = await t.conductor.repository.create({ driver: 'fake-hardware', name: 'args-node' });
    const power = await client.put(`/v1/nodes/${node.uuid}/states/power`, { target: 'power on', foo: 0 });
    expect(faultstring(power)).toBe('Unexpected arguments: foo');
  });

  it('answers malformed JSON and unsupported media types with Ironic error bodies', async () => {
    const broken = await api().inject({
      method: 'POST',
      url: '/v1/nodes',
      headers: { 'content-type': 'application/json' },
      payload: '{"driver": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(faultOf(broken.body).faultcode).toBe('Client');
    const xml = await api().inject({
      method: 'POST',
      url: '/v1/nodes',
      headers: { 'content-type': 'application/xml' },
      payload: '<node/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(faultOf(xml.body).faultstring).toContain('application/xml');
    // The inner JSON is written as Python writes it, for clients that show it verbatim.
    expect(broken.json().error_message).toMatch(
      /^\{"faultcode": "Client", "faultstring": ".*", "debuginfo": null\}$/,
    );
  });

  it('lists and shows drivers with their implementations, as Ironic names them', async () => {
    const list = (await client.get('/v1/drivers')).json();
    expect(list.drivers.map((driver: { name: string }) => driver.name).sort()).toEqual([
      'fake-hardware',
      'test-hardware',
    ]);
    expect(list.drivers[0]).toEqual({
      name: expect.any(String),
      hosts: ['test-host'],
      type: 'dynamic',
      links: expect.any(Array),
      properties: expect.any(Array),
    });
    const fake = (await client.get('/v1/drivers/fake-hardware')).json();
    expect(fake).toMatchObject({
      default_storage_interface: 'noop',
      enabled_storage_interfaces: ['fake', 'noop'],
      default_raid_interface: 'fake',
      enabled_raid_interfaces: ['fake', 'no-raid'],
      default_network_interface: 'noop',
    });
    // A driver without choices has one implementation per interface, named after it.
    const test = (await client.get('/v1/drivers/test-hardware')).json();
    expect(test).toMatchObject({
      default_raid_interface: 'test-hardware',
      default_management_interface: 'no-management',
      default_network_interface: 'noop',
    });
    // Interfaces of later microversions are left out at older ones; `type` from 1.30.
    const old = (await client.get('/v1/drivers/fake-hardware', '1.31')).json();
    expect(old.default_storage_interface).toBeUndefined();
    expect(old.default_power_interface).toBe('fake');
    expect((await client.get('/v1/drivers/fake-hardware', '1.29')).json().type).toBeUndefined();
    expect((await client.get('/v1/drivers?detail=true', '1.29')).statusCode).toBe(406);
    expect(
      Object.keys((await client.get('/v1/drivers/fake-hardware?fields=name,hosts')).json()).sort(),
    ).toEqual(['hosts', 'links', 'name']);
    expect((await client.get('/v1/drivers/fake-hardware?fields=name', '1.76')).statusCode).toBe(406);
    expect(faultstring(await client.get('/v1/drivers?type=mixed'))).toBe(
      '"type" filter must be one of "classic" or "dynamic", if specified.',
    );
    expect((await client.get('/v1/drivers?type=classic')).json()).toEqual({ drivers: [] });
    expect((await client.get('/v1/drivers/ipmi')).statusCode).toBe(404);
    expect((await client.get('/v1/drivers/test-hardware/properties')).json()).toEqual({
      test_address: 'Where the test BMC is. Required.',
    });
    expect((await client.get('/v1/drivers/fake-hardware/properties')).json()).toEqual({
      B1: 'B1 description. Required.',
      B2: 'B2 description. Required.',
    });
  });

  it('shows the periodic tasks in the API conventions: snake_case, ISO 8601 times, seconds', async () => {
    await t.conductor.worker.runNow('TestPower.tick');
    const { periodic_tasks: tasks } = (await client.get('/v1/periodic-tasks')).json();
    const names = tasks.map((task: { name: string }) => task.name);
    expect(names).toEqual([
      'TestInspect.checkInspections',
      'TestPower.tick',
      'conductor.checkPowerFailureRecovery',
      'conductor.checkWaitTimeouts',
      'conductor.clearDeadReservations',
      'conductor.heartbeat',
      'conductor.syncPowerStates',
    ]);
    const sweep = tasks.find((task: { name: string }) => task.name === 'TestInspect.checkInspections');
    expect(sweep).toMatchObject({
      spacing: 60,
      drivers: ['test-hardware'],
      sweep: {
        runs: 0,
        visited: 0,
        handled: 0,
        skipped_locked: 0,
        skipped_not_found: 0,
        errors: 0,
        stopped: 0,
      },
    });
    const tick = tasks.find((task: { name: string }) => task.name === 'TestPower.tick');
    expect(tick).toMatchObject({
      spacing: 30,
      runs: 1,
      successes: 1,
      failures: 0,
      last_started_at: '2026-01-01T12:00:00.000000+00:00',
      last_finished_at: '2026-01-01T12:00:00.000000+00:00',
      last_duration: 0,
      average_duration: 0,
      last_error: null,
    });
    expect(tick.next_run_at).toMatch(/^2026-01-01T12:00:30\.000000\+00:00$/);
    for (const task of tasks) {
      for (const key of Object.keys(task)) expect(key, key).toMatch(/^[a-z_]+$/);
    }
  });

  it('reports health and Prometheus metrics', async () => {
    expect((await client.get('/healthz')).json()).toEqual({ status: 'ok' });
    await t.conductor.repository.create({ driver: 'test-hardware', provision_state: 'manageable' });
    await t.conductor.worker.runNow('TestInspect.checkInspections');
    const metrics = await client.get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('ironic_nodes{provision_state="manageable"} 1');
    expect(metrics.body).toMatch(
      /ironic_periodic_task_runs_total\{task="TestPower.tick",status="succeeded"\} \d/,
    );
    expect(metrics.body).toContain(
      'ironic_node_sweep_nodes_total{task="TestInspect.checkInspections",outcome="visited"} 0',
    );
  });
});
