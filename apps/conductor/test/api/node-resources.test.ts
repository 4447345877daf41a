import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

describe('maintenance, validate, boot device, traits and vendor passthru', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor({ drivers: { enabled: ['@example/driver-test', '@ironic/driver-fake'] } });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const client = apiClient(() => t.conductor.api);
  const fakeNode = (fields: Record<string, unknown> = {}) =>
    t.conductor.repository.create({ driver: 'fake-hardware', ...fields });

  it('puts a node in maintenance with a reason, and takes it out clearing reason and fault', async () => {
    const node = await fakeNode({ fault: 'power failure', maintenance: true });
    const url = `/v1/nodes/${node.uuid}/maintenance`;
    const set = await client.put(url, { reason: 'fan' });
    expect(set.statusCode).toBe(202);
    expect(set.body).toBe('');
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      maintenance: true,
      maintenance_reason: 'fan',
    });
    expect((await client.put(`${url}?reason=disk`)).statusCode).toBe(202);
    expect((await t.conductor.nodes.get(node.uuid)).maintenance_reason).toBe('disk');
    expect((await client.delete(`${url}/`)).statusCode).toBe(202);
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      maintenance: false,
      maintenance_reason: null,
      fault: null,
    });
    expect(faultstring(await client.put(url, { reason: 'x', why: 'y' }))).toBe('Unexpected arguments: why');
    await t.conductor.repository.reserve(node.uuid, 'other-conductor');
    expect((await client.put(url, {})).statusCode).toBe(409);
    await t.conductor.repository.release(node.uuid, 'other-conductor');
  });

  it("validates each interface of the node's implementations, as Ironic reports them", async () => {
    const node = await fakeNode({ raid_interface: 'no-raid' });
    const expected = {
      boot: { result: true },
      deploy: { result: true },
      management: { result: true },
      network: { result: true },
      power: { result: true },
      bios: { result: true },
      console: { result: true },
      inspect: { result: true },
      raid: {
        result: false,
        reason: 'Driver fake-hardware does not support raid (disabled or not implemented).',
      },
      rescue: { result: true },
      storage: { result: true },
    };
    const validated = (await client.get(`/v1/nodes/${node.uuid}/validate`)).json();
    expect(validated).toEqual(expected);
    expect(Object.keys(validated)).toEqual(Object.keys(expected));
    expect((await client.get(`/v1/nodes/validate?node=${node.uuid}`)).json()).toEqual(expected);
    expect((await client.get(`/v1/nodes/validate?node_uuid=${node.uuid}`)).json()).toEqual(expected);
    // A driver's own validation failures carry its message.
    const plain = await t.conductor.repository.create({ driver: 'test-hardware' });
    expect((await client.get(`/v1/nodes/${plain.uuid}/validate`)).json()).toMatchObject({
      management: {
        result: false,
        reason: 'Driver test-hardware does not support management (disabled or not implemented).',
      },
      network: { result: true },
      raid: { result: true },
    });
  });

  it('shows, sets and lists boot devices', async () => {
    const node = await fakeNode();
    const url = `/v1/nodes/${node.uuid}/management/boot_device`;
    expect((await client.get(url)).json()).toEqual({ boot_device: 'pxe', persistent: false });
    expect((await client.get(`${url}/supported`)).json()).toEqual({ supported_boot_devices: ['pxe'] });
    expect((await client.put(url, { boot_device: 'pxe', persistent: true })).statusCode).toBe(204);
    expect(faultstring(await client.put(url, { boot_device: 'disk' }))).toBe(
      'Invalid boot device disk specified.',
    );
    expect(faultstring(await client.put(url, {}))).toBe('Missing mandatory parameter: boot_device');
    expect(faultstring(await client.put(url, { boot_device: 'pxe', persistent: 'maybe' }))).toContain(
      'Invalid persistent',
    );
    const plain = await t.conductor.repository.create({ driver: 'test-hardware' });
    expect(faultstring(await client.get(`/v1/nodes/${plain.uuid}/management/boot_device`))).toBe(
      'Driver test-hardware does not support management (disabled or not implemented).',
    );
  });

  it('lists, replaces, adds and removes traits, sorted, standard or custom', async () => {
    const node = await fakeNode();
    const url = `/v1/nodes/${node.uuid}/traits`;
    expect((await client.get(url)).json()).toEqual({ traits: [] });
    expect((await client.put(url, { traits: ['CUSTOM_B', 'CUSTOM_A', 'CUSTOM_B'] })).statusCode).toBe(204);
    const added = await client.put(`${url}/HW_CPU_X86_AVX2`);
    expect(added.statusCode).toBe(204);
    expect(added.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}/traits/HW_CPU_X86_AVX2`);
    expect((await client.get(url)).json()).toEqual({ traits: ['CUSTOM_A', 'CUSTOM_B', 'HW_CPU_X86_AVX2'] });
    expect((await client.get(`/v1/nodes/${node.uuid}?fields=traits`)).json().traits).toEqual([
      'CUSTOM_A',
      'CUSTOM_B',
      'HW_CPU_X86_AVX2',
    ]);
    expect((await client.delete(`${url}/CUSTOM_A`)).statusCode).toBe(204);
    const missing = await client.delete(`${url}/CUSTOM_A`);
    expect(missing.statusCode).toBe(404);
    expect(faultstring(missing)).toBe(`Node ${node.uuid} doesn't have a trait 'CUSTOM_A'`);
    for (const [response, message] of [
      [
        await client.put(`${url}/lower_case`),
        "Schema error for trait: 'lower_case' is not valid under any of the given schemas. Possible root cause: 'lower_case' does not match '^CUSTOM_[A-Z0-9_]+$'",
      ],
      [await client.put(`${url}/NOT_A_STANDARD_TRAIT`), "'NOT_A_STANDARD_TRAIT' does not match"],
      [
        await client.put(url, { traits: ['CUSTOM_X', 'bad'] }),
        "Schema error for body: 'bad' is not valid under any of the given schemas.",
      ],
      [
        await client.put(url, {}),
        'A single node trait may be added via PUT /v1/nodes/<node identifier>/traits/<trait> with no body',
      ],
      [
        await client.put(`${url}/CUSTOM_Y`, { traits: ['CUSTOM_X'] }),
        'A single node trait may be added via PUT',
      ],
      [await client.put(url, { traits: Array.from({ length: 51 }, (_, i) => `CUSTOM_${i}`) }), '(51 vs. 50)'],
    ] as const) {
      expect(response.statusCode).toBe(400);
      expect(faultstring(response)).toContain(message);
    }
    expect((await client.delete(url)).statusCode).toBe(204);
    expect((await client.get(url)).json()).toEqual({ traits: [] });
    // Traits are changed through their own routes only.
    expect(
      (await client.patch(`/v1/nodes/${node.uuid}`, [{ op: 'add', path: '/traits', value: ['CUSTOM_Z'] }]))
        .statusCode,
    ).toBe(400);
  });

  it('lists vendor passthru methods of a node and a driver, and calls them', async () => {
    const node = await fakeNode();
    const methods = (await client.get(`/v1/nodes/${node.uuid}/vendor_passthru/methods`)).json();
    expect(methods).toEqual({
      second_method: {
        http_methods: ['POST'],
        async: true,
        description: 'Test if the value of bar is kazoo',
        attach: false,
        require_exclusive_lock: true,
      },
      third_method_sync: {
        http_methods: ['POST'],
        async: false,
        description: 'Test if the value of bar is meow',
        attach: false,
        require_exclusive_lock: true,
      },
      fourth_method_shared_lock: {
        http_methods: ['POST'],
        async: true,
        description: 'Test if the value of bar is woof',
        attach: false,
        require_exclusive_lock: false,
      },
    });
    expect((await client.get('/v1/drivers/fake-hardware/vendor_passthru/methods')).json()).toEqual({});
    const sync = await client.post(`/v1/nodes/${node.uuid}/vendor_passthru?method=third_method_sync`, {
      bar: 'meow',
    });
    expect(sync.statusCode).toBe(200);
    expect(sync.body).toBe('true');
    expect(
      (await client.post(`/v1/nodes/${node.uuid}/vendor_passthru/third_method_sync`, { bar: 'woof' })).body,
    ).toBe('false');
    const asynchronous = await client.post(
      `/v1/nodes/${node.uuid}/vendor_passthru/fourth_method_shared_lock`,
      { bar: 'woof' },
    );
    expect(asynchronous.statusCode).toBe(202);
    expect(asynchronous.body).toBe('');
    await t.conductor.background.settled();
    expect((await t.conductor.nodes.get(node.uuid)).reservation).toBeNull();
    for (const [response, message] of [
      [
        await client.post(`/v1/nodes/${node.uuid}/vendor_passthru?method=second_method`, {}),
        "Parameter 'bar' not passed to method 'second_method'.",
      ],
      [
        await client.get(`/v1/nodes/${node.uuid}/vendor_passthru?method=third_method_sync`),
        'The method third_method_sync does not support HTTP GET',
      ],
      [
        await client.post(`/v1/nodes/${node.uuid}/vendor_passthru?method=nope`, {}),
        'No handler for method nope',
      ],
      [
        await client.post(`/v1/nodes/${node.uuid}/vendor_passthru`, {}),
        'Missing mandatory parameter: method',
      ],
      [
        await client.post('/v1/drivers/fake-hardware/vendor_passthru?method=x', {}),
        'No handler for method x',
      ],
    ] as const) {
      expect(response.statusCode).toBe(400);
      expect(faultstring(response)).toBe(message);
    }
    expect((await client.get('/v1/drivers/ghost/vendor_passthru/methods')).statusCode).toBe(404);
  });
});
