import { definePeriodicTask, ManualClock, PeriodicWorker } from '@ironic/periodic-core';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { Stop } from '../src/errors.js';
import type { NewNode } from '../src/node.js';
import {
  collectNodePeriodicTasks,
  type NodePeriodicContext,
  type NodePeriodicOptions,
  nodePeriodic,
} from '../src/node-periodic.js';
import { createNodeSweepTask } from '../src/node-sweep.js';
import { RING_POINTS, ringPoint } from '../src/ring-ranges.js';
import type { Task } from '../src/task.js';
import { TaskManager } from '../src/task-manager.js';
import { InMemoryNodeRepository } from '../src/testing/in-memory-node-repository.js';

const logger = pino({ level: 'silent' });

function sweepOf(
  options: NodePeriodicOptions,
  handler: (task: Task, context: NodePeriodicContext) => unknown,
  nodes: TaskManager,
  drivers = ['d1'],
) {
  class Iface {
    @nodePeriodic(options)
    async handle(task: Task, context: NodePeriodicContext) {
      return handler(task, context);
    }
  }
  const [definition] = collectNodePeriodicTasks(new Iface());
  if (!definition) throw new Error('no definition');
  return createNodeSweepTask(definition, { nodes, drivers, logger, pageSize: 3 });
}

async function runOnce(task: ReturnType<typeof sweepOf>) {
  const worker = new PeriodicWorker({ clock: new ManualClock(0), logger });
  worker.add(task);
  worker.start();
  const outcome = await worker.runNow(task.name);
  await worker.stop();
  return outcome;
}

describe('per-node periodic sweep', () => {
  let repository: InMemoryNodeRepository;
  let nodes: TaskManager;
  const make = (node: Partial<NewNode>) => repository.create({ driver: 'd1', ...node });
  beforeEach(() => {
    repository = new InMemoryNodeRepository();
    nodes = new TaskManager({ repository, conductorId: 'me' });
  });

  it('visits exactly the nodes of its drivers that match the filters and the predicate, across pages', async () => {
    const wanted = [];
    for (let i = 0; i < 7; i++) wanted.push(await make({ name: `w${i}`, provision_state: 'inspect wait' }));
    await make({ name: 'other-state', provision_state: 'manageable' });
    await make({ name: 'other-driver', driver: 'd2', provision_state: 'inspect wait' });
    await make({ name: 'in-maintenance', provision_state: 'inspect wait', maintenance: true });
    await make({ name: 'predicate-no', provision_state: 'inspect wait', extra: { skip: true } });
    const visited: string[] = [];
    const sweep = sweepOf(
      {
        spacing: '1m',
        filters: { provision_state: 'inspect wait', maintenance: false },
        predicate: (node) => node.extra.skip !== true,
      },
      (task) => {
        visited.push(task.node.name ?? '');
      },
      nodes,
    );
    expect((await runOnce(sweep)).status).toBe('succeeded');
    expect(visited.sort()).toEqual(wanted.map((n) => n.name).sort());
    expect(sweep.sweep).toMatchObject({ runs: 1, visited: 7, handled: 7, errors: 0 });
  });

  it('skips a locked node and survives a node deleted mid-sweep, counting both', async () => {
    const a = await make({ name: 'a', uuid: '00000000-0000-4000-8000-00000000000a' });
    const b = await make({ name: 'b', uuid: '00000000-0000-4000-8000-00000000000b' });
    const c = await make({ name: 'c', uuid: '00000000-0000-4000-8000-00000000000c' });
    const other = new TaskManager({ repository, conductorId: 'someone-else' });
    const held = await other.acquire(b.uuid);
    const handled: string[] = [];
    const sweep = sweepOf(
      { spacing: '1m', shared: false },
      async (task) => {
        handled.push(task.node.name ?? '');
        // The node after this one disappears while the sweep is running.
        if (task.node.uuid === a.uuid) {
          const doomed = await other.acquire(c.uuid);
          await repository.delete(c.uuid, 'someone-else');
          await doomed.release();
        }
      },
      nodes,
    );
    expect((await runOnce(sweep)).status).toBe('succeeded');
    await held.release();
    expect(handled).toEqual(['a']);
    expect(sweep.sweep).toMatchObject({ handled: 1, skippedLocked: 1, skippedNotFound: 1, errors: 0 });
  });

  it('asks whether it still owns each node as the node comes up, not only when its page was read', async () => {
    // Sweeps go in UUID order, one lane: n1 is handled before n2 comes up; both are on the first page.
    for (const i of [1, 2]) await make({ name: `n${i}`, uuid: `00000000-0000-4000-8000-00000000000${i}` });
    let owned = true;
    const seen: string[] = [];
    class Iface {
      @nodePeriodic({ spacing: '1m', concurrency: 1 })
      async handle(task: Task) {
        seen.push(task.node.name ?? '');
        // The cluster's members change while the sweep runs: n2 now belongs to another conductor.
        owned = false;
      }
    }
    const [definition] = collectNodePeriodicTasks(new Iface());
    if (!definition) throw new Error('no definition');
    const sweep = createNodeSweepTask(definition, {
      nodes,
      drivers: ['d1'],
      logger,
      pageSize: 10,
      ownsNode: () => owned,
    });
    await runOnce(sweep);
    expect(seen).toEqual(['n1']);
    expect(sweep.sweep).toMatchObject({ visited: 1, handled: 1 });
  });

  it('logs and counts handler errors without stopping, and ends early on Stop', async () => {
    // Sweeps go in UUID order; these UUIDs make n1..n4 that order.
    for (const i of [1, 2, 3, 4])
      await make({ name: `n${i}`, uuid: `00000000-0000-4000-8000-00000000000${i}` });
    const seen: string[] = [];
    const sweep = sweepOf(
      { spacing: '1m' },
      (task) => {
        seen.push(task.node.name ?? '');
        if (task.node.name === 'n1') throw new Error('boom');
        if (task.node.name === 'n3') throw new Stop();
      },
      nodes,
    );
    await runOnce(sweep);
    expect(seen.sort()).toEqual(['n1', 'n2', 'n3']);
    expect(sweep.sweep).toMatchObject({ errors: 1, handled: 1, stopped: 1 });
  });

  it('records a handler failure in last_error of a node waiting on an outside service, and only there', async () => {
    await make({ name: 'waiting', provision_state: 'clean wait' });
    await make({ name: 'resting', provision_state: 'manageable', last_error: null });
    const sweep = sweepOf(
      { spacing: '1m' },
      () => {
        throw new Error('the BMC at http://bmc could not be reached');
      },
      nodes,
    );
    await runOnce(sweep);
    expect(sweep.sweep).toMatchObject({ errors: 2 });
    const waiting = await repository.get('waiting');
    expect(waiting).toMatchObject({
      provision_state: 'clean wait',
      last_error: `${sweep.name} failed: the BMC at http://bmc could not be reached`,
      reservation: null,
    });
    expect((await repository.get('resting'))?.last_error).toBeNull();
  });

  it('caps handled nodes with limit, not counting handlers that return false', async () => {
    for (let i = 0; i < 10; i++) await make({ name: `n${i}`, extra: { busy: i % 2 === 0 } });
    const counted: string[] = [];
    const sweep = sweepOf(
      { spacing: '1m', limit: 3 },
      (task) => {
        if (task.node.extra.busy) return false;
        counted.push(task.node.name ?? '');
        return true;
      },
      nodes,
    );
    await runOnce(sweep);
    expect(counted).toHaveLength(3);
    expect(sweep.sweep.handled).toBe(3);
  });

  it('handles at most `concurrency` nodes at once', async () => {
    for (let i = 0; i < 9; i++) await make({ name: `n${i}` });
    let inFlight = 0;
    let peak = 0;
    const sweep = sweepOf(
      { spacing: '1m', concurrency: 3 },
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
      },
      nodes,
    );
    await runOnce(sweep);
    expect(sweep.sweep.handled).toBe(9);
    expect(peak).toBe(3);
  });

  it('keeps `concurrency` nodes in hand across page boundaries: a slow node holds up no page', async () => {
    // Pages of 3 in UUID order: n0..n2, then n3..n5. n0 waits until the whole second page is done.
    for (let i = 0; i < 6; i++)
      await make({ name: `n${i}`, uuid: `00000000-0000-4000-8000-00000000000${i}` });
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const done: string[] = [];
    const sweep = sweepOf(
      { spacing: '1m', concurrency: 3 },
      async (task) => {
        if (task.node.name === 'n0') await slow;
        done.push(task.node.name ?? '');
        if (['n3', 'n4', 'n5'].every((name) => done.includes(name))) releaseSlow();
      },
      nodes,
    );
    expect((await runOnce(sweep)).status).toBe('succeeded');
    expect(done.at(-1)).toBe('n0');
    expect(sweep.sweep).toMatchObject({ visited: 6, handled: 6 });
  });

  it('hands its signal to `concurrency` handlers at once without a listener-leak warning', async () => {
    for (let i = 0; i < 24; i++) await make({ name: `n${i}` });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    let inFlight = 0;
    const sweep = sweepOf(
      { spacing: '1m', concurrency: 24 },
      async (_task, { signal }) => {
        // What a handler passing the signal to a request does: listen while the request runs.
        inFlight += 1;
        const onAbort = () => {};
        signal.addEventListener('abort', onAbort);
        while (inFlight < 24) await new Promise((resolve) => setImmediate(resolve));
        signal.removeEventListener('abort', onAbort);
      },
      nodes,
    );
    await runOnce(sweep);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(sweep.sweep.handled).toBe(24);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('fails the run when a page cannot be read', async () => {
    for (let i = 0; i < 5; i++) await make({ name: `n${i}` });
    let reads = 0;
    const list = nodes.list.bind(nodes);
    nodes.list = async (query) => {
      reads += 1;
      if (reads === 2) throw new Error('database went away');
      return list(query);
    };
    const sweep = sweepOf({ spacing: '1m', concurrency: 2 }, () => {}, nodes);
    const outcome = await runOnce(sweep);
    expect(outcome.status).toBe('failed');
    expect((outcome.error as Error).message).toBe('database went away');
    // Only nodes of the first page were handed out; the lanes stop at the failed read.
    expect(sweep.sweep.visited).toBeLessThanOrEqual(3);
    expect(sweep.sweep.errors).toBe(0);
  });

  it('visits nothing when no driver uses the interface', async () => {
    await make({ name: 'n' });
    const sweep = sweepOf({ spacing: '1m' }, () => {}, nodes, []);
    await runOnce(sweep);
    expect(sweep.sweep).toMatchObject({ runs: 1, visited: 0 });
  });

  it('is one task of the worker: a sweep never overlaps itself', async () => {
    await make({ name: 'slow' });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sweep = sweepOf({ spacing: 1_000 }, () => gate, nodes);
    const clock = new ManualClock(0);
    const worker = new PeriodicWorker({ clock, logger });
    worker.add([sweep, definePeriodicTask(() => {}, { name: 'noop', spacing: 1_000 })]);
    worker.start();
    await clock.advance(1_000);
    await clock.advance(1_000);
    await clock.advance(1_000);
    release();
    await worker.idle();
    const stats = worker.stats().find((s) => s.name === sweep.name);
    expect(stats?.runs).toBe(1);
    expect(stats?.skipped).toBe(2);
    expect(sweep.sweep.runs).toBe(1);
    await worker.stop();
  });

  it('with ownedRanges, asks the store for the owned ring ranges of each page, and still checks ownsNode', async () => {
    const made = [];
    for (let i = 0; i < 10; i++) made.push(await make({ name: `r${i}` }));
    const half = RING_POINTS / 2;
    const asked: string[] = [];
    const ownedRanges = (driver: string) => {
      asked.push(driver);
      return [{ from: 0, to: half - 1 }];
    };
    class Iface {
      @nodePeriodic({ spacing: '1m' })
      async handle(task: Task) {
        visited.push(task.node.uuid);
      }
    }
    const visited: string[] = [];
    const [definition] = collectNodePeriodicTasks(new Iface());
    if (!definition) throw new Error('no definition');
    const sweep = createNodeSweepTask(definition, {
      nodes,
      drivers: ['d1'],
      logger,
      pageSize: 3,
      ownedRanges,
      // A ring rebuilt while a page was read: the node it no longer gives this conductor is dropped.
      ownsNode: (node) => node.name !== 'r0',
    });
    await runOnce(sweep);
    const inRanges = made.filter((node) => ringPoint(node.uuid) < half);
    expect(inRanges.length).toBeGreaterThan(0);
    const expected = inRanges.filter((node) => node.name !== 'r0').map((node) => node.uuid);
    expect(visited.sort()).toEqual(expected.sort());
    // One ask per page read: the pages of the nodes in range, and the short one that ends the sweep.
    expect(asked.length).toBe(Math.floor(inRanges.length / 3) + 1);
  });

  it('starts a shared visit from the node of its page without reading it again', async () => {
    class CountingRepository extends InMemoryNodeRepository {
      reads = 0;
      override get(ident: string) {
        this.reads += 1;
        return super.get(ident);
      }
    }
    const counted = new CountingRepository();
    await counted.create({ driver: 'd1', name: 'paged', extra: { seen: 'page' } });
    const seen: unknown[] = [];
    const sweep = sweepOf(
      { spacing: '1m' },
      (task) => void seen.push(task.node.extra.seen),
      new TaskManager({ repository: counted, conductorId: 'me' }),
    );
    await runOnce(sweep);
    expect(seen).toEqual(['page']);
    expect(counted.reads).toBe(0);
  });

  it('lets other work in while it runs, even when every node and page is at hand at once', async () => {
    for (let i = 0; i < 12; i++) await make({ name: `busy${i}` });
    const events: string[] = [];
    const sweep = sweepOf(
      { spacing: '1m' },
      () => {
        // Each visit keeps the thread 1 ms: twelve of them span more than one of the sweep's slices.
        const until = performance.now() + 1;
        while (performance.now() < until) {}
        events.push('visit');
      },
      nodes,
    );
    setImmediate(() => events.push('other work'));
    await runOnce(sweep);
    const otherAt = events.indexOf('other work');
    expect(otherAt).toBeGreaterThan(0);
    expect(otherAt).toBeLessThan(events.length - 1);
  });
});
