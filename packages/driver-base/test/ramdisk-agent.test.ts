import { beforeEach, describe, expect, it } from 'vitest';
import type { HeartbeatRequest } from '../src/driver.js';
import { InvalidParameterValue, NodeNotFound, UnsupportedDriverExtension } from '../src/errors.js';
import { FakePower } from '../src/fake-power.js';
import {
  AGENT_TOKEN_KEY,
  dispatchHeartbeat,
  fastTrackEnabled,
  InvalidAgentToken,
  LookupNotFound,
  lookupNode,
  MASKED_TOKEN,
  parseHeartbeat,
  verifyHeartbeat,
  wipeAgentToken,
} from '../src/ramdisk-agent.js';
import { TaskManager } from '../src/task-manager.js';
import { InMemoryNodeRepository } from '../src/testing/in-memory-node-repository.js';

describe('ramdisk agent lookup and heartbeat', () => {
  let repository: InMemoryNodeRepository;
  let nodes: TaskManager;
  const received: HeartbeatRequest[] = [];
  const config = { heartbeat_timeout: 300, fast_track: true };
  beforeEach(() => {
    received.length = 0;
    repository = new InMemoryNodeRepository();
    const drivers = new Map([
      [
        'agent-hw',
        {
          name: 'agent-hw',
          interfaces: {
            power: new FakePower(),
            deploy: {
              deploy: async () => 'wait' as const,
              tearDown: async () => {},
              heartbeat: async (_t: unknown, r: HeartbeatRequest) => void received.push(r),
            },
          },
        },
      ],
      ['plain-hw', { name: 'plain-hw', interfaces: { power: new FakePower() } }],
    ]);
    nodes = new TaskManager({ repository, conductorId: 'c1', driverFor: (name) => drivers.get(name) });
  });

  it('hands the token out on the first lookup only, and masks it in driver_internal_info', async () => {
    const node = await repository.create({
      driver: 'agent-hw',
      provision_state: 'wait call-back',
      properties: { cpus: 2 },
    });
    const first = await lookupNode(nodes, { node_uuid: node.uuid, addresses: ['52:54:00:12:34:56'] }, config);
    const token = first.config.agent_token as string;
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(first.config).toMatchObject({ heartbeat_timeout: 300, agent_token_required: true });
    expect(first.node).toMatchObject({ uuid: node.uuid, properties: { cpus: 2 } });
    expect(first.node.driver_internal_info[AGENT_TOKEN_KEY]).toBe(MASKED_TOKEN);
    // The whole config block Ironic 21.4 hands the agent.
    expect(Object.keys(first.config).sort()).toEqual([
      'agent_token',
      'agent_token_required',
      'disable_deep_image_inspection',
      'enable_bios_bootloader_install',
      'heartbeat_timeout',
      'metrics',
      'metrics_statsd',
      'permitted_image_formats',
    ]);
    expect((await repository.get(node.uuid))?.driver_internal_info[AGENT_TOKEN_KEY]).toBe(token);
    const second = await lookupNode(nodes, { node_uuid: node.uuid }, config);
    expect(second.config.agent_token).toBe(MASKED_TOKEN);
    expect((await repository.get(node.uuid))?.reservation).toBeNull();
  });

  it('refuses lookups without a key, of unknown nodes, and in states a ramdisk cannot be in', async () => {
    await expect(lookupNode(nodes, {}, config)).rejects.toThrow(
      "At least one of 'addresses' and 'node_uuid' parameters is required",
    );
    await expect(lookupNode(nodes, {}, config)).rejects.toBeInstanceOf(InvalidParameterValue);
    // Unknown and not-allowed nodes are the same vague error, naming nothing.
    await expect(lookupNode(nodes, { node_uuid: 'missing' }, config)).rejects.toThrow(
      /^Resource could not be found\.$/,
    );
    const active = await repository.create({ driver: 'agent-hw', provision_state: 'active' });
    await expect(lookupNode(nodes, { node_uuid: active.uuid }, config)).rejects.toBeInstanceOf(
      LookupNotFound,
    );
    const available = await repository.create({ driver: 'agent-hw', provision_state: 'available' });
    await expect(
      lookupNode(nodes, { node_uuid: available.uuid }, { ...config, fast_track: false }),
    ).rejects.toBeInstanceOf(LookupNotFound);
    await expect(lookupNode(nodes, { node_uuid: available.uuid }, config)).resolves.toBeDefined();
    const rescuing = await repository.create({ driver: 'agent-hw', provision_state: 'rescue wait' });
    await expect(
      lookupNode(nodes, { node_uuid: rescuing.uuid }, { ...config, fast_track: false }),
    ).resolves.toBeDefined();
  });

  it("finds nodes by their ports' MAC addresses when given a way to", async () => {
    const node = await repository.create({ driver: 'agent-hw', provision_state: 'clean wait' });
    const seen: (readonly string[])[] = [];
    const findByAddresses = async (addresses: readonly string[]) => {
      seen.push(addresses);
      if (addresses.includes('52:54:00:00:00:01')) return repository.get(node.uuid).then((n) => n!);
      throw new NodeNotFound(addresses.join(','));
    };
    const found = await lookupNode(nodes, { addresses: ['52:54:00:00:00:01'] }, config, { findByAddresses });
    expect(found.node.uuid).toBe(node.uuid);
    await expect(
      lookupNode(nodes, { addresses: ['52:54:00:00:00:02'] }, config, { findByAddresses }),
    ).rejects.toBeInstanceOf(LookupNotFound);
    // Without a way to resolve addresses, only node_uuid finds nodes.
    await expect(lookupNode(nodes, { addresses: ['52:54:00:00:00:01'] }, config)).rejects.toBeInstanceOf(
      LookupNotFound,
    );
    expect(seen).toEqual([['52:54:00:00:00:01'], ['52:54:00:00:00:02']]);
  });

  it("lets a node's driver_info.fast_track override the conductor's setting", async () => {
    const on = await repository.create({
      driver: 'agent-hw',
      provision_state: 'manageable',
      driver_info: { fast_track: 'yes' },
    });
    const off = await repository.create({
      driver: 'agent-hw',
      provision_state: 'manageable',
      driver_info: { fast_track: false },
    });
    await expect(
      lookupNode(nodes, { node_uuid: on.uuid }, { ...config, fast_track: false }),
    ).resolves.toBeDefined();
    await expect(lookupNode(nodes, { node_uuid: off.uuid }, config)).rejects.toBeInstanceOf(LookupNotFound);
    expect(fastTrackEnabled({ ...on, driver_info: {} }, true)).toBe(true);
    expect(() => fastTrackEnabled({ ...on, driver_info: { fast_track: 'maybe' } }, true)).toThrow(
      "Invalid value of fast_track: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
    );
  });

  it('checks heartbeat bodies and tokens as Ironic does', async () => {
    expect(() =>
      parseHeartbeat({ callback_url: 'http://127.0.0.1:9999', agent_version: '9.4.0', surprise: 1 }),
    ).toThrow(/surprise/);
    expect(() => parseHeartbeat({ callback_url: 'http://127.0.0.1:9999' })).toThrow(/agent_version/);
    expect(() => parseHeartbeat({ callback_url: 'not a url', agent_version: '1' })).toThrow(/callback_url/);
    const node = await repository.create({ driver: 'agent-hw', provision_state: 'wait call-back' });
    const { config: handed } = await lookupNode(nodes, { node_uuid: node.uuid }, config);
    const stored = (await repository.get(node.uuid)) as NonNullable<
      Awaited<ReturnType<typeof repository.get>>
    >;
    const request = parseHeartbeat({
      callback_url: 'http://127.0.0.1:9999',
      agent_version: '9.4.0',
      agent_token: handed.agent_token,
    });
    expect(() => verifyHeartbeat(stored, request)).not.toThrow();
    expect(() => verifyHeartbeat(stored, { ...request, agent_token: 'x'.repeat(43) })).toThrow(
      InvalidAgentToken,
    );
    expect(() => verifyHeartbeat(stored, { ...request, agent_token: undefined })).toThrow(
      'Agent token is required for heartbeat processing.',
    );
    const moved = {
      ...stored,
      driver_internal_info: { ...stored.driver_internal_info, agent_url: 'http://127.0.0.1:1111' },
    };
    expect(() => verifyHeartbeat(moved, request)).toThrow(/callback_url/);
  });

  it('dispatches to the deploy interface, and refuses drivers without one', async () => {
    const node = await repository.create({ driver: 'agent-hw', provision_state: 'wait call-back' });
    const request = { callback_url: 'http://127.0.0.1:9999', agent_version: '9.4.0', agent_token: 't' };
    await dispatchHeartbeat(nodes, node.uuid, request);
    expect(received).toEqual([request]);
    const plain = await repository.create({ driver: 'plain-hw' });
    await expect(dispatchHeartbeat(nodes, plain.uuid, request)).rejects.toBeInstanceOf(
      UnsupportedDriverExtension,
    );
  });

  it('wipes the agent token and URL so the next ramdisk gets a fresh token', async () => {
    const node = await repository.create({
      driver: 'agent-hw',
      provision_state: 'available',
      driver_internal_info: { [AGENT_TOKEN_KEY]: 'secret', agent_url: 'http://127.0.0.1:1', keep: 1 },
    });
    await nodes.withTask(node.uuid, { shared: true }, (task) => wipeAgentToken(task));
    expect((await repository.get(node.uuid))?.driver_internal_info).toEqual({ keep: 1 });
    const next = await lookupNode(nodes, { node_uuid: node.uuid }, config);
    expect(next.config.agent_token).not.toBe(MASKED_TOKEN);
  });
});
