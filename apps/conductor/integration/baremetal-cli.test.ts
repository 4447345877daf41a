import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConductorServer, startConductorServer } from './support/conductor-server.js';
import { findPeers, peersAvailable } from './support/peers.js';
import { type ReferenceIronic, startReferenceIronic } from './support/reference-ironic.js';
import { baremetal } from './support/run-python.js';

const enabled = peersAvailable('baremetal CLI', { baremetal: true, ironic: true });

/**
 * The `baremetal` CLI (python-openstackclient's baremetal plugin, as operators type it) through every
 * route family of the conductor; where its output can be compared, with real Ironic's.
 */
describe.skipIf(!enabled)('the baremetal CLI', () => {
  let conductor: ConductorServer;
  let ironic: ReferenceIronic;
  const cli = () => findPeers().baremetal as string;
  const ours = (...args: string[]) => baremetal(cli(), conductor.url, args);
  const theirs = (...args: string[]) => baremetal(cli(), ironic.url, args);
  const json = async (output: Promise<string>) => JSON.parse(await output) as Record<string, unknown>;

  beforeAll(async () => {
    [conductor, ironic] = await Promise.all([
      startConductorServer(),
      startReferenceIronic(findPeers().python as string),
    ]);
  });

  afterAll(async () => {
    await Promise.all([conductor?.stop(), ironic?.stop()]);
  });

  it('shows drivers as Ironic does', async () => {
    for (const args of [
      ['driver', 'list', '-f', 'json', '-c', 'Supported driver(s)'],
      ['driver', 'property', 'list', 'fake-hardware', '-f', 'json'],
      ['driver', 'passthru', 'list', 'fake-hardware', '-f', 'json'],
    ]) {
      expect(JSON.parse(await ours(...args)), args.join(' ')).toEqual(JSON.parse(await theirs(...args)));
    }
    const sorted = (driver: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(driver)
          .filter(([key]) => key.startsWith('default_') || key.startsWith('enabled_'))
          // Ironic lists enabled interfaces from a set: their order means nothing.
          .map(([key, value]) => [
            key,
            key.startsWith('enabled_') ? String(value).split(', ').sort() : value,
          ]),
      );
    expect(sorted(await json(ours('driver', 'show', 'fake-hardware', '-f', 'json')))).toEqual(
      sorted(await json(theirs('driver', 'show', 'fake-hardware', '-f', 'json'))),
    );
  });

  it('creates, shows, lists and updates a node with the fields of Ironic 1.78', async () => {
    const create = [
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--name',
      'cli-node',
      '--resource-class',
      'bm',
    ];
    const [a, b] = [await json(ours(...create, '-f', 'json')), await json(theirs(...create, '-f', 'json'))];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(a).toMatchObject({
      provision_state: 'enroll',
      power_state: null,
      resource_class: 'bm',
      raid_interface: 'fake',
    });
    await ours(
      'node',
      'set',
      'cli-node',
      '--property',
      'cpus=8',
      '--description',
      'rack 4',
      '--extra',
      'slot=2',
    );
    await ours('node', 'unset', 'cli-node', '--extra', 'slot');
    await ours('node', 'set', 'cli-node', '--raid-interface', 'no-raid', '--owner', 'team-a');
    expect(await json(ours('node', 'show', 'cli-node', '-f', 'json'))).toMatchObject({
      properties: { cpus: 8 },
      description: 'rack 4',
      extra: {},
      raid_interface: 'no-raid',
      owner: 'team-a',
    });
    const listed = JSON.parse(
      await ours('node', 'list', '--owner', 'team-a', '--fields', 'uuid', 'name', '-f', 'json'),
    );
    expect(listed).toEqual([{ UUID: a.uuid, Name: 'cli-node' }]);
    expect(JSON.parse(await ours('node', 'list', '--long', '-f', 'json'))).toHaveLength(1);
  });

  it('sets maintenance, validates, changes power and boot device, toggles the console', async () => {
    await ours('node', 'maintenance', 'set', 'cli-node', '--reason', 'fan');
    expect(
      await json(
        ours('node', 'show', 'cli-node', '-f', 'json', '-c', 'maintenance', '-c', 'maintenance_reason'),
      ),
    ).toEqual({
      maintenance: true,
      maintenance_reason: 'fan',
    });
    await ours('node', 'maintenance', 'unset', 'cli-node');
    const validation = JSON.parse(await ours('node', 'validate', 'cli-node', '-f', 'json'));
    expect(validation).toContainEqual({
      Interface: 'raid',
      Result: false,
      Reason: 'Driver fake-hardware does not support raid (disabled or not implemented).',
    });
    expect(validation).toContainEqual({ Interface: 'power', Result: true, Reason: '' });
    await ours('node', 'power', 'on', 'cli-node');
    await ours('node', 'reboot', '--soft', 'cli-node');
    await ours('node', 'power', 'off', '--soft', '--power-timeout', '5', 'cli-node');
    await expect
      .poll(
        async () =>
          (await json(ours('node', 'show', 'cli-node', '-f', 'json', '-c', 'power_state'))).power_state,
      )
      .toBe('power off');
    await ours('node', 'boot', 'device', 'set', 'cli-node', 'pxe', '--persistent');
    expect(await json(ours('node', 'boot', 'device', 'show', 'cli-node', '-f', 'json'))).toEqual({
      boot_device: 'pxe',
      persistent: false,
    });
    expect(
      await json(ours('node', 'boot', 'device', 'show', '--supported', 'cli-node', '-f', 'json')),
    ).toEqual({ supported_boot_devices: 'pxe' });
    await ours('node', 'console', 'enable', 'cli-node');
    await expect
      .poll(
        async () => (await json(ours('node', 'console', 'show', 'cli-node', '-f', 'json'))).console_enabled,
      )
      .toBe(true);
    await ours('node', 'console', 'disable', 'cli-node');
  });

  it('adds, lists and removes traits, and calls vendor passthru', async () => {
    await ours('node', 'add', 'trait', 'cli-node', 'CUSTOM_GOLD', 'HW_CPU_X86_AVX2');
    expect(JSON.parse(await ours('node', 'trait', 'list', 'cli-node', '-f', 'json'))).toEqual([
      { Traits: 'CUSTOM_GOLD' },
      { Traits: 'HW_CPU_X86_AVX2' },
    ]);
    await ours('node', 'remove', 'trait', 'cli-node', 'CUSTOM_GOLD');
    await expect(ours('node', 'add', 'trait', 'cli-node', 'gold')).rejects.toThrow(/does not match/);
    const methods = JSON.parse(await ours('node', 'passthru', 'list', 'cli-node', '-f', 'json'));
    expect(methods.map((method: { Name: string }) => method.Name).sort()).toEqual([
      'fourth_method_shared_lock',
      'second_method',
      'third_method_sync',
    ]);
    await ours('node', 'passthru', 'call', 'cli-node', 'second_method', '--arg', 'bar=kazoo');
  });

  it('creates, lists, updates and deletes ports', async () => {
    const uuid = (await json(ours('node', 'show', 'cli-node', '-f', 'json', '-c', 'uuid'))).uuid as string;
    const port = await json(
      ours('port', 'create', '52:54:00:CC:00:01', '--node', uuid, '--extra', 'slot=1', '-f', 'json'),
    );
    expect(port).toMatchObject({ address: '52:54:00:cc:00:01', node_uuid: uuid, pxe_enabled: true });
    expect(JSON.parse(await ours('port', 'list', '--address', '52:54:00:cc:00:01', '-f', 'json'))).toEqual([
      { UUID: port.uuid, Address: '52:54:00:cc:00:01' },
    ]);
    expect(JSON.parse(await ours('port', 'list', '--node', 'cli-node', '-f', 'json'))).toHaveLength(1);
    await ours('port', 'set', port.uuid as string, '--pxe-disabled');
    expect(await json(ours('port', 'show', port.uuid as string, '-f', 'json', '-c', 'pxe_enabled'))).toEqual({
      pxe_enabled: false,
    });
    await expect(ours('port', 'create', '52:54:00:cc:00:01', '--node', uuid)).rejects.toThrow(
      /already exists/,
    );
    await ours('port', 'delete', port.uuid as string);
    expect(JSON.parse(await ours('port', 'list', '-f', 'json'))).toEqual([]);
  });

  it('takes a node through every provision state, cleaning included', async () => {
    await ours('node', 'set', 'cli-node', '--raid-interface', 'fake');
    await ours(
      'node',
      'set',
      'cli-node',
      '--target-raid-config',
      JSON.stringify({ logical_disks: [{ size_gb: 10, raid_level: '1' }] }),
    );
    // `--wait` fails the command unless the node reaches the state the verb leads to.
    for (const args of [
      ['manage'],
      ['inspect'],
      ['clean', '--clean-steps', JSON.stringify([{ interface: 'raid', step: 'create_configuration' }])],
      ['provide'],
      ['deploy'],
      ['rescue', '--rescue-password', 'pw'],
      ['unrescue'],
      ['rebuild'],
      ['undeploy'],
      ['manage'],
      ['adopt'],
      ['undeploy'],
    ]) {
      await ours('node', args[0] as string, 'cli-node', ...args.slice(1), '--wait', '60');
    }
    expect(
      await json(
        ours('node', 'show', 'cli-node', '-f', 'json', '-c', 'provision_state', '-c', 'raid_config'),
      ),
    ).toEqual({
      provision_state: 'available',
      raid_config: { logical_disks: [{ size_gb: 10, raid_level: '1' }] },
    });
    await ours('node', 'delete', 'cli-node');
    expect(JSON.parse(await ours('node', 'list', '-f', 'json'))).toEqual([]);
  });
});
