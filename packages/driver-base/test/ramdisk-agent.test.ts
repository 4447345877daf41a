import { beforeEach, describe, expect, it } from 'vitest';
import type { HeartbeatRequest } from '../src/driver.js';
import { InvalidParameterValue, NodeNotFound, UnsupportedDriverExtension } from '../src/errors.js';
import { FakePower } from '../src/fake-power.js';
import {
  AGENT_TOKEN_KEY,
  dispatchHeartbeat,
  InvalidAgentToken,
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

  it('hands the token out on the first lookup only, and never shows it in driver_internal_info', async () => {
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
    expect(first.node.driver_internal_info[AGENT_TOKEN_KEY]).toBeUndefined();
    expect((await repository.get(node.uuid))?.driver_internal_info[AGENT_TOKEN_KEY]).toBe(token);
    const second = await lookupNode(nodes, { node_uuid: node.uuid }, config);
    expect(second.config.agent_token).toBe(MASKED_TOKEN);
    expect((await repository.get(node.uuid))?.reservation).toBeNull();
  });

  it('refuses lookups without a key, of unknown nodes, and in states a ramdisk cannot be in', async () => {
    await expect(lookupNode(nodes, {}, config)).rejects.toBeInstanceOf(InvalidParameterValue);
    await expect(lookupNode(nodes, { node_uuid: 'missing' }, config)).rejects.toBeInstanceOf(NodeNotFound);
    const active = await repository.create({ driver: 'agent-hw', provision_state: 'active' });
    await expect(lookupNode(nodes, { node_uuid: active.uuid }, config)).rejects.toBeInstanceOf(NodeNotFound);
    const available = await repository.create({ driver: 'agent-hw', provision_state: 'available' });
    await expect(
      lookupNode(nodes, { node_uuid: available.uuid }, { ...config, fast_track: false }),
    ).rejects.toBeInstanceOf(NodeNotFound);
    await expect(lookupNode(nodes, { node_uuid: available.uuid }, config)).resolves.toBeDefined();
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
