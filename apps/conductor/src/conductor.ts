import type { Driver, NodeSweepTask } from '@ironic/driver-base';
import { closeDrivers, collectDriverTasks, createNodeSweepTask, TaskManager } from '@ironic/driver-base';
import { type Clock, type PeriodicTask, PeriodicWorker, systemClock } from '@ironic/periodic-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import type { ApiPlugin } from './api/api-dependencies.js';
import { logApiSecurity, prepareApiSecurity } from './api/api-security.js';
import { buildApi } from './api/build-api.js';
import { conductorRoutes } from './api/routes/conductors.js';
import { BackgroundWork } from './background-work.js';
import { ClusterMembership } from './cluster/cluster-membership.js';
import { clusterStatus } from './cluster/cluster-status.js';
import { FencedNodeRepository } from './cluster/fenced-repository.js';
import type { ConductorConfig } from './config/schema.js';
import { settingName } from './config/setting-name.js';
import type { Database } from './db/create-database.js';
import { type ConfiguredDatabase, openConfiguredDatabase } from './db-admin/open-configured-database.js';
import { upgradeSchema } from './db-admin/schema-version.js';
import { createDrivers } from './drivers/create-drivers.js';
import { loadDriverPackages, type PackageImporter } from './drivers/load-drivers.js';
import { StartupFailed } from './errors.js';
import { createLogger } from './logger.js';
import { ConductorMetrics } from './metrics.js';
import { conductorTasks } from './periodic/conductor-tasks.js';
import { POWER_FAILURE_RECOVERY_TASK } from './power/power-failure-recovery.js';
import { SYNC_POWER_STATES_TASK } from './power/power-state-sync.js';
import { type PowerTasks, powerTasks } from './power/power-tasks.js';
import { WaitTimeouts } from './provisioning/wait-timeouts.js';
import { ConductorRegistry } from './store/conductor-registry.js';
import { KyselyNodeRepository } from './store/kysely-node-repository.js';
import { KyselyPortRepository } from './store/kysely-port-repository.js';

/** Nodes a sweep reads per page on PostgreSQL. */
const SWEEP_PAGE_SIZE = 500;
/** Nodes a sweep reads per page on the embedded database, which runs one statement at a time. */
const EMBEDDED_SWEEP_PAGE_SIZE = 100;

/** Options of `createConductor` besides the configuration. */
export interface CreateConductorOptions {
  /** The clock of the worker, drivers and timestamps (a `ManualClock` in tests). Default: the system clock. */
  clock?: Clock;
  /** The logger. Default: one made from `config.log`. */
  logger?: Logger;
  /** How driver packages are imported. Default: `import(packageName)`. */
  importer?: PackageImporter;
  /** The HTTP client handed to drivers. Default: a new undici `Agent`, closed on stop. */
  http?: Dispatcher;
  /** More API route plugins (e.g. lookup and heartbeat). */
  plugins?: readonly ApiPlugin[];
  /** Where the configuration came from, for errors. Default `"configuration"`. */
  configSource?: string;
}

/** Options of `conductor.start()`. */
export interface StartOptions {
  /** Listen on `config.api` (default), or not (tests use `api.inject`). */
  listen?: boolean;
}

/** Options of `conductor.stop()`. */
export interface ConductorStopOptions {
  /** Milliseconds to let running tasks and actions finish. Default: `periodic.shutdown_timeout`. */
  timeout?: number;
}

/** A running (or ready) conductor and its parts. */
export interface Conductor {
  /** The id in `reservation` while this conductor holds a node. */
  readonly id: string;
  readonly config: ConductorConfig;
  readonly api: FastifyInstance;
  readonly worker: PeriodicWorker;
  readonly nodes: TaskManager;
  readonly repository: KyselyNodeRepository;
  /** The nodes' ports. */
  readonly ports: KyselyPortRepository;
  readonly registry: ConductorRegistry;
  /** The cluster's members and the hash rings that say which nodes this conductor manages. */
  readonly membership: ClusterMembership;
  readonly drivers: ReadonlyMap<string, Driver>;
  /** The power-state sync and the power failure recovery, with their figures. */
  readonly power: PowerTasks;
  readonly metrics: ConductorMetrics;
  readonly database: Database;
  readonly logger: Logger;
  /** Provision and power actions still running after their 202. */
  readonly background: BackgroundWork;
  /**
   * Registers the conductor, frees its stale locks, reads the cluster's members (building the hash
   * rings), starts the periodic tasks and (by default) the API.
   */
  start(options?: StartOptions): Promise<{ address: string | undefined }>;
  /**
   * Marks this conductor draining at once (the others take its nodes over on their next membership
   * refresh), stops the API, drains the worker and background actions with a deadline while still
   * heartbeating, releases its reservations, goes offline and closes the database. Calling it again
   * returns the same promise.
   */
  stop(options?: ConductorStopOptions): Promise<void>;
}

function isSweep(task: PeriodicTask): task is NodeSweepTask {
  return typeof (task as Partial<NodeSweepTask>).sweep === 'object';
}

/**
 * Builds a conductor from its configuration: opens and migrates the database, loads the enabled driver
 * packages, creates the drivers, collects their periodic tasks plus its own on one worker, and builds the
 * API. Nothing runs until `start()`. Anything failing here closes what was opened and rejects.
 */
export async function createConductor(
  config: ConductorConfig,
  options: CreateConductorOptions = {},
): Promise<Conductor> {
  const logger = options.logger ?? createLogger({ level: config.log.level, pretty: config.log.pretty });
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const id = config.conductor.id ?? config.conductor.host;
  if (config.drivers.enabled.length === 0) throw noDriversEnabled(config, options.configSource);
  // Packages first: a missing or clashing driver fails the start before anything is opened.
  const packages = await loadDriverPackages(config.drivers.enabled, options.importer);
  // So is an unreadable user file or certificate.
  const security = await prepareApiSecurity(config.api, options.configSource ?? 'configuration');
  let opened: ConfiguredDatabase;
  try {
    opened = await openConfiguredDatabase(config, logger);
  } catch (error) {
    await security.auth?.close();
    throw error;
  }
  const { database } = opened;
  const ownHttp = options.http === undefined;
  const http = options.http ?? new Agent();
  let drivers: ReadonlyMap<string, Driver> = new Map();
  try {
    const applied = await upgradeSchema(database, { migrate: config.database.migrate_on_start });
    logger.info({ database: database.location, kind: database.kind, applied }, 'database ready');

    const repository = new KyselyNodeRepository(database.db, { now });
    const ports = new KyselyPortRepository(database.db, { now });
    const registry = new ConductorRegistry(database.db);
    // Known once the drivers are created, before the first heartbeat.
    let driverNames: string[] = [];
    const membership = new ClusterMembership({
      store: {
        heartbeat: (ring) => registry.heartbeat(id, config.conductor.host, driverNames, ring),
        snapshot: () => registry.snapshot(),
      },
      selfId: id,
      heartbeatTimeoutMs: config.conductor.heartbeat_timeout * 1000,
      now,
      logger,
    });
    const nodes = new TaskManager({
      // No lock while fenced: the others may have found this conductor dead and taken its nodes.
      repository: new FencedNodeRepository(repository, id, () => membership.fenced),
      conductorId: id,
      driverFor: (name) => drivers.get(name),
      logger,
    });
    drivers = await createDrivers({
      packages,
      options: config.drivers.options,
      nodes,
      logger,
      http,
      clock,
      conductorId: id,
      configSource: options.configSource ?? 'configuration',
    });
    driverNames = [...drivers.keys()];
    logger.info({ drivers: driverNames }, 'drivers loaded');

    // The embedded engine runs one statement at a time: short pages keep an API request from waiting
    // long behind a sweep's page.
    const sweepPageSize = database.kind === 'pglite' ? EMBEDDED_SWEEP_PAGE_SIZE : SWEEP_PAGE_SIZE;
    const worker = new PeriodicWorker({ maxWorkers: config.periodic.max_workers, logger, clock });
    const driverTasks = collectDriverTasks({
      drivers: [...drivers.values()],
      nodes,
      logger,
      ownsNode: (node) => membership.ownsNode(node),
      ownedRanges: (driver) => membership.ownedRanges(driver),
      pageSize: sweepPageSize,
    });
    const power = powerTasks({
      config: config.conductor,
      drivers: [...drivers.values()],
      nodes,
      logger,
      ownsNode: (node) => membership.ownsNode(node),
      ownedRanges: (driver) => membership.ownedRanges(driver),
      pageSize: sweepPageSize,
      now,
    });
    const waitTimeouts = new WaitTimeouts(config.conductor, now);
    const waitTimeoutSweep = createNodeSweepTask(waitTimeouts.definition(), {
      nodes,
      drivers: driverNames,
      logger,
      ownsNode: (node) => membership.ownsNode(node),
    });
    worker.add([
      ...driverTasks,
      ...power.tasks,
      waitTimeoutSweep,
      ...conductorTasks({
        registry,
        membership,
        conductorId: id,
        heartbeatInterval: config.conductor.heartbeat_interval,
        heartbeatTimeout: config.conductor.heartbeat_timeout,
      }),
    ]);
    const sweeps = [...driverTasks.filter(isSweep), ...power.tasks, waitTimeoutSweep];
    const sweepsByName = new Map(sweeps.map((sweep) => [sweep.name, sweep]));
    // Figures of a task beyond the worker's and its sweep's, in `/v1/periodic-tasks`.
    const taskFigures = new Map<string, () => Record<string, unknown>>([
      [SYNC_POWER_STATES_TASK, () => ({ powerSync: power.sync.stats.figures })],
      [POWER_FAILURE_RECOVERY_TASK, () => ({ powerFailureRecovery: power.recovery.figures })],
    ]);
    const cluster = clusterStatus(membership, database.db);
    const metrics = new ConductorMetrics({
      repository,
      cluster: { ownedNodes: () => cluster.ownedNodes(), members: () => membership.members },
      ownsTask: (name) => worker.has(name),
      sweeps: () => sweeps,
      power: { sync: () => power.sync.stats.figures, recovery: () => power.recovery.figures },
    });
    const background = new BackgroundWork(logger);
    const api = await buildApi({
      logger,
      conductorHost: config.conductor.host,
      nodes,
      listNodeFields: (query, fields) => repository.listFields(query, fields),
      ports,
      drivers,
      periodicTasks: () =>
        worker.stats().map((stats) => {
          const sweep = sweepsByName.get(stats.name);
          const figures = taskFigures.get(stats.name)?.() ?? {};
          return sweep ? { ...stats, sweep: { ...sweep.sweep }, drivers: sweep.drivers, ...figures } : stats;
        }),
      metrics,
      checkHealth: async () => {
        await sql`select 1`.execute(database.db);
      },
      background,
      agent: config.agent,
      plugins: [conductorRoutes(cluster), ...(options.plugins ?? [])],
      auth: security.auth,
      tls: security.tls,
    });

    let stopping: Promise<void> | undefined;
    const conductor: Conductor = {
      id,
      config,
      api,
      worker,
      nodes,
      repository,
      ports,
      registry,
      membership,
      drivers,
      power,
      metrics,
      database,
      logger,
      background,
      async start(startOptions = {}) {
        // The API first: a conductor that cannot serve it must never join the cluster.
        let address: string | undefined;
        if (startOptions.listen ?? true) {
          address = await listenOrFail(api, config.api);
          logApiSecurity(config.api, logger);
        }
        const freed = await repository.releaseAll(id);
        if (freed > 0)
          logger.warn({ freed }, 'released reservations left by this conductor before a restart');
        await registry.register(id, config.conductor.host, driverNames);
        // The first heartbeat ends the fence and finds the members; the second publishes the ring found,
        // which this conductor needs before it claims a node.
        await membership.tick();
        await membership.tick();
        metrics.subscribe();
        worker.start();
        logger.info({ id, address, tasks: worker.size }, 'conductor started');
        return { address };
      },
      stop(stopOptions = {}) {
        stopping ??= shutDown(stopOptions.timeout ?? config.periodic.shutdown_timeout * 1000);
        return stopping;
      },
    };

    const shutDown = async (timeoutMs: number): Promise<void> => {
      logger.info({ timeoutMs }, 'conductor stopping');
      membership.leave();
      await registry
        .drain(id)
        .catch((error: unknown) => logger.warn({ err: error }, 'could not mark this conductor draining'));
      // The worker's heartbeat stops with it; this one keeps the draining conductor's locks protected.
      const heartbeat = keepHeartbeating(
        () => membership.heartbeat(),
        config.conductor.heartbeat_interval * 1000,
        logger,
      );
      try {
        await api.close();
        await worker.stop({ timeout: timeoutMs });
        const drained = await settleWithin(background.settled(), timeoutMs);
        if (!drained)
          logger.warn({ running: background.size }, 'background actions still running at shutdown');
      } finally {
        // Nothing runs any more: the drivers log out of their BMCs (closeDrivers never throws).
        await closeDrivers(drivers.values(), logger);
        await heartbeat.stop();
      }
      metrics.unsubscribe();
      const released = await repository.releaseAll(id);
      await registry.unregister(id);
      if (ownHttp) await (http as Agent).close();
      await opened.close();
      logger.info({ released }, 'conductor stopped');
    };
    return conductor;
  } catch (error) {
    await closeDrivers(drivers.values(), logger);
    await security.auth?.close();
    if (ownHttp) await (http as Agent).close().catch(() => undefined);
    await opened.close().catch(() => undefined);
    throw error;
  }
}

/** Ironic's refusal to start a conductor without hardware types, in this conductor's words. */
function noDriversEnabled(config: ConductorConfig, source: string | undefined): StartupFailed {
  const hint =
    source === undefined || source === 'defaults'
      ? ' No configuration file was given: pass one with --config (or IRONIC_CONDUCTOR_CONFIG).'
      : '';
  return new StartupFailed(
    'drivers.enabled',
    `Conductor ${config.conductor.host} cannot be started because no driver packages were specified in the 'drivers.enabled' config option.${hint}`,
  );
}

/** Listens on `api.host:api.port`, or fails naming the field (a port in use, an address not of this host). */
async function listenOrFail(api: FastifyInstance, options: ConductorConfig['api']): Promise<string> {
  try {
    return await api.listen({ host: options.host, port: options.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const field = code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? 'api.host' : 'api.port';
    const why = code === 'EADDRINUSE' ? 'the address is already in use' : (error as Error).message;
    throw new StartupFailed(
      field,
      `The API cannot listen on ${options.host}:${options.port}: ${why} (${settingName(field)})`,
      { cause: error },
    );
  }
}

/** Whether `promise` settled within `ms` (real time: a shutdown deadline is wall-clock). */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A heartbeat on a plain timer, for while the worker (and its heartbeat task) is shutting down. */
function keepHeartbeating(beat: () => Promise<void>, intervalMs: number, logger: Logger) {
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(beat).catch((error: unknown) => {
      logger.warn({ err: error }, 'heartbeat while draining failed');
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      // A beat still in flight must land before the conductor goes offline, never after.
      await inFlight;
    },
  };
}
