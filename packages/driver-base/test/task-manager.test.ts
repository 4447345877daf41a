import { beforeEach, describe, expect, it } from 'vitest';
import {
  ExclusiveLockRequired,
  IllegalTransition,
  NodeLocked,
  NodeNotFound,
  TaskReleased,
} from '../src/errors.js';
import { ProvisionState } from '../src/provision-states.js';
import { TaskManager } from '../src/task-manager.js';
import { InMemoryNodeRepository } from '../src/testing/in-memory-node-repository.js';

describe('TaskManager node locks', () => {
  let now: number;
  let repository: InMemoryNodeRepository;
  let a: TaskManager;
  let b: TaskManager;
  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    repository = new InMemoryNodeRepository({ now: () => now });
    a = new TaskManager({ repository, conductorId: 'conductor-a' });
    b = new TaskManager({ repository, conductorId: 'conductor-b' });
  });

  it('gives an exclusive lock to one holder at a time, records it as the reservation, and frees it', async () => {
    const node = await repository.create({ driver: 'fake-hardware', name: 'n1' });
    const task = await a.acquire('n1');
    expect((await repository.get(node.uuid))?.reservation).toBe('conductor-a');
    await expect(b.acquire(node.uuid)).rejects.toMatchObject({ name: 'NodeLocked', holder: 'conductor-a' });
    await expect(a.acquire(node.uuid)).rejects.toBeInstanceOf(NodeLocked);
    await task.release();
    expect((await repository.get(node.uuid))?.reservation).toBeNull();
    const second = await b.acquire(node.uuid);
    expect(second.node.reservation).toBe('conductor-b');
    await second.release();
  });

  it('lets a shared lock read alongside an exclusive one, and refuses its writes until upgraded', async () => {
    const node = await repository.create({ driver: 'fake-hardware' });
    const shared = await a.acquire(node.uuid, { shared: true });
    await expect(shared.save({ last_error: 'x' })).rejects.toBeInstanceOf(ExclusiveLockRequired);
    const holder = await b.acquire(node.uuid);
    await expect(shared.upgradeLock()).rejects.toBeInstanceOf(NodeLocked);
    await holder.save({ properties: { cpus: 8 } });
    await holder.release();
    await shared.upgradeLock();
    expect(shared.shared).toBe(false);
    expect(shared.node.properties).toEqual({ cpus: 8 });
    await shared.save({ last_error: 'seen' });
    expect((await repository.get(node.uuid))?.last_error).toBe('seen');
    await shared.release();
    expect((await repository.get(node.uuid))?.reservation).toBeNull();
  });

  it('moves through the state machine, stamping provision_updated_at, and refuses illegal events untouched', async () => {
    const node = await repository.create({ driver: 'fake-hardware' });
    const task = await a.acquire(node.uuid);
    now += 5_000;
    await task.processEvent('manage');
    expect(task.node.provision_state).toBe(ProvisionState.VERIFYING);
    expect(task.node.target_provision_state).toBe(ProvisionState.MANAGEABLE);
    expect(task.node.provision_updated_at).toBe(new Date(now).toISOString());
    await expect(task.processEvent('deploy')).rejects.toBeInstanceOf(IllegalTransition);
    expect((await repository.get(node.uuid))?.provision_state).toBe(ProvisionState.VERIFYING);
    await task.processEvent('done');
    expect(task.node.target_provision_state).toBeNull();
    await task.release();
    await expect(task.save({})).rejects.toBeInstanceOf(TaskReleased);
  });

  it('starts a shared lock from the node the caller read, unless that node is another one', async () => {
    const node = await repository.create({ driver: 'fake-hardware', name: 'n1' });
    const other = await repository.create({ driver: 'fake-hardware', name: 'n2' });
    const read = { ...node, extra: { as: 'read by the caller' } };
    const byUuid = await a.acquire(node.uuid, { shared: true, node: read });
    expect(byUuid.node).toBe(read);
    const byName = await a.acquire('n1', { shared: true, node: read });
    expect(byName.node).toBe(read);
    const mismatched = await a.acquire('n2', { shared: true, node: read });
    expect(mismatched.node).toEqual(other);
    for (const task of [byUuid, byName, mismatched]) {
      await task.release();
      expect(task.released).toBe(true);
    }
    // An exclusive lock reads the node as it reserves it, whatever the caller read.
    const exclusive = await a.acquire(node.uuid, { node: read });
    expect(exclusive.node.extra).toEqual({});
    await exclusive.release();
    await exclusive.release();
    expect((await repository.get(node.uuid))?.reservation).toBeNull();
  });

  it('reports unknown nodes', async () => {
    await expect(a.acquire('nope')).rejects.toBeInstanceOf(NodeNotFound);
    await expect(a.acquire('nope', { shared: true })).rejects.toBeInstanceOf(NodeNotFound);
  });

  it('refuses a write after another conductor cleared the reservation (the node was taken over)', async () => {
    const node = await repository.create({ driver: 'fake-hardware' });
    const task = await a.acquire(node.uuid);
    await repository.releaseAll('conductor-a');
    const thief = await b.acquire(node.uuid);
    await expect(task.save({ last_error: 'late' })).rejects.toBeInstanceOf(NodeLocked);
    await thief.release();
  });
});
