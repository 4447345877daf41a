import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';

describe('versions, drivers, periodic tasks, health and metrics', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor();
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const api = () => t.conductor.api;

  it('serves the version documents with both version headers', async () => {
    const root = await api().inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.json()).toMatchObject({
      name: 'OpenStack Ironic API',
      default_version: { id: 'v1', version: '1.82', min_version: '1.1', status: 'CURRENT' },
    });
    expect(root.headers['x-openstack-ironic-api-minimum-version']).toBe('1.1');
    expect(root.headers['x-openstack-ironic-api-maximum-version']).toBe('1.82');
    const v1 = await api().inject({ url: '/v1' });
    expect(v1.json()).toMatchObject({ id: 'v1', media_types: [{ base: 'application/json' }] });
    expect(v1.json().nodes[0]).toEqual({ href: 'http://localhost:80/v1/nodes/', rel: 'self' });
  });

  it('negotiates the microversion: none means 1.1, latest 1.82, too high 406', async () => {
    expect((await api().inject({ url: '/v1/nodes' })).headers['x-openstack-ironic-api-version']).toBe('1.1');
    const echoed = await api().inject({
      url: '/v1/nodes',
      headers: { 'x-openstack-ironic-api-version': '1.46' },
    });
    expect(echoed.headers['x-openstack-ironic-api-version']).toBe('1.46');
    const latest = await api().inject({
      url: '/v1/nodes',
      headers: { 'x-openstack-ironic-api-version': 'latest' },
    });
    expect(latest.headers['x-openstack-ironic-api-version']).toBe('1.82');
    for (const version of ['1.83', '2.0', 'banana']) {
      const refused = await api().inject({
        url: '/v1/nodes',
        headers: { 'x-openstack-ironic-api-version': version },
      });
      expect(refused.statusCode, version).toBe(406);
      expect(refused.headers['x-openstack-ironic-api-maximum-version']).toBe('1.82');
      expect(faultOf(refused.body).faultstring).toContain(version);
    }
  });

  it('answers unknown paths with an Ironic 404', async () => {
    const response = await api().inject({ url: '/v1/chassis-of-doom' });
    expect(response.statusCode).toBe(404);
    expect(faultOf(response.body).faultcode).toBe('Client');
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
  });

  it('lists and shows drivers', async () => {
    const list = (await api().inject({ url: '/v1/drivers' })).json();
    expect(list).toEqual({
      drivers: [
        {
          name: 'test-hardware',
          hosts: ['test-host'],
          type: 'dynamic',
          links: [
            { href: 'http://localhost:80/v1/drivers/test-hardware', rel: 'self' },
            { href: 'http://localhost:80/drivers/test-hardware', rel: 'bookmark' },
          ],
          properties: [
            { href: 'http://localhost:80/v1/drivers/test-hardware/properties', rel: 'self' },
            { href: 'http://localhost:80/drivers/test-hardware/properties', rel: 'bookmark' },
          ],
        },
      ],
    });
    const one = (await api().inject({ url: '/v1/drivers/test-hardware' })).json();
    expect(one).toMatchObject({ name: 'test-hardware', default_raid_interface: 'test-hardware' });
    expect(one.default_management_interface).toBe('no-management');
    expect((await api().inject({ url: '/v1/drivers/ipmi' })).statusCode).toBe(404);
    expect((await api().inject({ url: '/v1/drivers/test-hardware/properties' })).json()).toEqual({
      test_address: 'Where the test BMC is. Required.',
    });
  });

  it('shows the periodic tasks: the driver\u2019s and the conductor\u2019s own', async () => {
    const { periodic_tasks: tasks } = (await api().inject({ url: '/v1/periodic-tasks' })).json();
    const names = tasks.map((task: { name: string }) => task.name);
    expect(names).toEqual([
      'TestInspect.checkInspections',
      'TestPower.tick',
      'conductor.clearDeadReservations',
      'conductor.heartbeat',
      'conductor.refreshMembership',
    ]);
    const sweep = tasks.find((task: { name: string }) => task.name === 'TestInspect.checkInspections');
    expect(sweep).toMatchObject({ spacing: 60_000, drivers: ['test-hardware'], sweep: { runs: 0 } });
  });

  it('reports health and Prometheus metrics', async () => {
    expect((await api().inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    await t.conductor.repository.create({ driver: 'test-hardware', provision_state: 'manageable' });
    await t.conductor.repository.create({ driver: 'test-hardware' });
    await t.conductor.worker.runNow('TestPower.tick');
    await t.conductor.worker.runNow('TestInspect.checkInspections');
    const metrics = await api().inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    const text = metrics.body;
    expect(text).toContain('ironic_nodes{provision_state="manageable"} 1');
    expect(text).toContain('ironic_nodes{provision_state="enroll"} 1');
    expect(text).toContain('ironic_periodic_task_runs_total{task="TestPower.tick",status="succeeded"} 1');
    expect(text).toMatch(/ironic_periodic_task_duration_seconds_count\{task="TestPower.tick"\} 1/);
    expect(text).toContain(
      'ironic_node_sweep_nodes_total{task="TestInspect.checkInspections",outcome="visited"} 0',
    );
  });
});
