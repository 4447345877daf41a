import { ManualClock, type PeriodicTask, PeriodicWorker } from '@ironic/periodic-core';
import pino, { type Logger } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import { collectDriverTasks } from '../collect-driver-tasks.js';
import { closeDrivers, createDriver } from '../create-driver.js';
import type { Driver, DriverPackage } from '../driver.js';
import type { NewNode, Node } from '../node.js';
import { type ProvisionRequest, startProvisionAction } from '../provisioning.js';
import { TaskManager } from '../task-manager.js';
import { InMemoryNodeRepository } from './in-memory-node-repository.js';

/** A driver package to load in the harness, with its raw (unvalidated) options. */
export interface HarnessDriver {
  package: DriverPackage;
  options?: unknown;
}

/** Options of `createDriverHarness(...)`. */
export interface DriverHarnessOptions {
  /** The drivers to load: packages, or packages with options. */
  drivers: ReadonlyArray<DriverPackage | HarnessDriver>;
  /** The fake clock; a new `ManualClock` starting at 2026-01-01T00:00:00Z by default. */
  clock?: ManualClock;
  /** The conductor id that reservations carry. Default `test-conductor`. */
  conductorId?: string;
  /** `maxWorkers` of the worker. Default 8. */
  maxWorkers?: number;
  logger?: Logger;
}

/** A driver's periodic tasks running on a fake clock over an in-memory node store, no conductor needed. */
export interface DriverHarness {
  readonly clock: ManualClock;
  readonly repository: InMemoryNodeRepository;
  readonly nodes: TaskManager;
  readonly worker: PeriodicWorker;
  readonly drivers: ReadonlyMap<string, Driver>;
  /** Every periodic task collected from the drivers, as the conductor would collect them. */
  readonly tasks: readonly PeriodicTask[];
  readonly http: Dispatcher;
  /** Enrolls a node. */
  createNode(node: NewNode): Promise<Node>;
  /** The node as stored now. */
  node(ident: string): Promise<Node>;
  /** Does what `PUT /v1/nodes/{id}/states/provision` does, and waits for the whole action to end. */
  provision(ident: string, request: ProvisionRequest): Promise<Node>;
  /** Moves the clock forward, firing due tasks, and waits until the runs it started have settled. */
  advance(ms: number): Promise<void>;
  /** Stops the worker, closes the drivers (`driver.close()`) and the HTTP client; safe to call twice. */
  close(): Promise<void>;
}

/** The default start of the harness clock: a fixed, readable instant. */
export const HARNESS_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Loads driver packages as the conductor would (options validated, services handed over), collects
 * their periodic tasks and runs them on a `PeriodicWorker` driven by a fake clock.
 */
export async function createDriverHarness(options: DriverHarnessOptions): Promise<DriverHarness> {
  const clock = options.clock ?? new ManualClock(HARNESS_EPOCH);
  const logger = options.logger ?? pino({ level: 'silent' });
  const conductorId = options.conductorId ?? 'test-conductor';
  const repository = new InMemoryNodeRepository({ now: () => clock.now() });
  const drivers = new Map<string, Driver>();
  const nodes = new TaskManager({ repository, conductorId, driverFor: (name) => drivers.get(name), logger });
  const http = new Agent({ keepAliveTimeout: 1_000 });
  for (const entry of options.drivers) {
    const { package: pkg, options: raw } =
      'package' in entry ? entry : { package: entry, options: undefined };
    if (drivers.has(pkg.name)) throw new Error(`Two drivers are named "${pkg.name}"`);
    const driver = await createDriver(pkg, raw, {
      nodes,
      logger: logger.child({ driver: pkg.name }),
      http,
      clock,
      conductorId,
    });
    drivers.set(driver.name, driver);
  }
  const tasks = collectDriverTasks({ drivers: [...drivers.values()], nodes, logger });
  const worker = new PeriodicWorker({ maxWorkers: options.maxWorkers ?? 8, logger, clock });
  worker.add(tasks);
  worker.start();
  let closed = false;

  return {
    clock,
    repository,
    nodes,
    worker,
    drivers,
    tasks,
    http,
    createNode: (node) => repository.create(node),
    node: (ident) => nodes.get(ident),
    async provision(ident, request) {
      const task = await nodes.acquire(ident, { purpose: `provision ${request.target}` });
      try {
        const rest = await startProvisionAction(task, request);
        await rest();
      } finally {
        await task.release();
      }
      return nodes.get(ident);
    },
    async advance(ms) {
      await clock.advance(ms);
      await worker.idle();
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.stop({ timeout: 5_000 });
      await closeDrivers(drivers.values(), logger);
      await http.close();
    },
  };
}
