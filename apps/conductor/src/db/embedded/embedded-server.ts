import { existsSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { ConductorError } from '../../errors.js';
import { ENGINE_SETTINGS, settingArguments } from './engine-settings.js';
import { distFile } from './package-files.js';
import { makeRunDir, removeStaleRunDirs, SOCKET_NAME, SOCKET_PORT } from './run-dirs.js';
import type {
  EngineWorkerCommand,
  EngineWorkerData,
  EngineWorkerEvent,
  ListenAddress,
} from './worker-protocol.js';

/** The worker's script, built by tsup beside the package's other entries. */
export const ENGINE_WORKER_FILE = 'pglite-worker.js';
/** The data directory that keeps nothing: a private temporary directory, removed on stop. */
export const MEMORY_DATA_DIR = 'memory://';

/** Options of {@link startEmbeddedServer}. */
export interface EmbeddedServerOptions {
  /** PGlite's data directory: created (from the build's template) when empty. `memory://` keeps nothing. */
  dataDir: string;
  logger?: Logger;
  /**
   * Milliseconds a connection may hold the single session inside a transaction without sending
   * anything before it is ended and rolled back (it would block every other). Default 60,000.
   */
  idleInTransactionTimeoutMs?: number;
  /** Milliseconds between `VACUUM ANALYZE` runs (PGlite has no autovacuum); 0 turns them off. Default 15 min. */
  maintenanceIntervalMs?: number;
  /**
   * Milliseconds between looks for tables that have no statistics yet or have grown by a fifth since
   * (as autovacuum's analyse threshold would find them), which are then analysed; 0 turns them off.
   * Default 60,000: a fleet enrolled through the API is planned with statistics within a minute.
   */
  statisticsCheckIntervalMs?: number;
  /**
   * Let V8 optimise the engine's hottest code (TurboFan): SQL runs about 2–3× faster, for some 40 MB
   * more memory and more CPU at start. Default false: the engine keeps V8's baseline code (Liftoff),
   * which keeps an idle conductor under 200 MiB. V8 has one such setting per process, so it applies to
   * all WebAssembly of the process from then on.
   */
  optimize?: boolean;
  /** Milliseconds to wait for the engine to open before giving up. Default 120,000. */
  startTimeoutMs?: number;
}

/** How to reach an {@link EmbeddedServer} with node-postgres (a `pg.Pool` / `pg.Client` config). */
export interface EmbeddedConnection {
  /** The socket's directory (or `127.0.0.1` on Windows). */
  readonly host: string;
  readonly port: number;
  readonly user: 'postgres';
  readonly database: 'postgres';
}

/** A running embedded database: PGlite in a worker thread, behind a PostgreSQL-protocol socket. */
export interface EmbeddedServer {
  /** node-postgres connection settings. */
  readonly connection: EmbeddedConnection;
  /** The same as a `postgres://` URL (the socket directory as an escaped host), for configs and psql. */
  readonly url: string;
  /** The data directory as given (`memory://` included). */
  readonly dataDir: string;
  /** Whether the data directory already held a database, or was made from the template now. */
  readonly preparation: 'existing' | 'from-template';
  /** Milliseconds from the call to a ready server. */
  readonly startMs: number;
  readonly serverVersion: string;
  /**
   * Ends every connection (rolling back open transactions), closes PGlite cleanly (a checkpoint) and
   * stops the worker; removes the socket (and a `memory://` directory). Calling it again does nothing.
   */
  stop(): Promise<void>;
}

/** The embedded database could not start; the message says why. */
export class EmbeddedServerError extends ConductorError {
  override readonly name = 'EmbeddedServerError';
  readonly code = 'EMBEDDED_DATABASE_FAILED';
}

/**
 * Starts the embedded PostgreSQL (PGlite) on a worker thread and serves it on a private unix socket
 * (a fresh 0700 directory under the OS temp directory; loopback TCP on Windows). No initdb runs: an
 * empty data directory is filled from the template made at build time.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const started = performance.now();
  const workerFile = distFile(ENGINE_WORKER_FILE);
  if (!existsSync(workerFile)) {
    throw new EmbeddedServerError(`${workerFile} is missing: build @ironic/conductor (pnpm build)`);
  }
  await removeStaleRunDirs();
  const runDir = await makeRunDir();
  const inMemory = options.dataDir === MEMORY_DATA_DIR || options.dataDir === '';
  const dataDir = inMemory ? join(runDir, 'data') : resolve(options.dataDir);
  const listen: ListenAddress =
    process.platform === 'win32' ? { host: '127.0.0.1', port: 0 } : { path: join(runDir, SOCKET_NAME) };
  // A crash of this process must not leave a memory:// copy behind (after a SIGKILL, the next start removes it).
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  process.once('exit', removeRunDir);
  const workerData: EngineWorkerData = {
    dataDir,
    listen,
    startParams: settingArguments(ENGINE_SETTINGS),
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? 60_000,
    optimize: options.optimize ?? false,
    maintenanceIntervalMs: options.maintenanceIntervalMs ?? 15 * 60_000,
    statisticsCheckIntervalMs: options.statisticsCheckIntervalMs ?? 60_000,
  };
  // No inherited execArgv: the engine needs plain Node, not a test runner's loaders.
  const worker = new Worker(workerFile, {
    workerData,
    execArgv: [],
    stdout: false,
    stderr: false,
    // The thread's JavaScript is glue (bytes in and out of the engine's memory): a small young generation
    // is enough, and V8's default one would stay resident, some 20 MB more, once a busy hour filled it.
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
  });
  const cleanUp = async () => {
    process.off('exit', removeRunDir);
    await rm(runDir, { recursive: true, force: true });
  };
  let ready: Extract<EngineWorkerEvent, { type: 'ready' }>;
  try {
    ready = await waitForReady(worker, options.startTimeoutMs ?? 120_000);
  } catch (error) {
    await worker.terminate();
    await cleanUp();
    throw error;
  }
  // The process may exit while the database runs (it is closed like after a crash: recovered next start).
  worker.unref();
  const logger = options.logger;
  let stopping: Promise<void> | undefined;
  worker.on('message', (event: EngineWorkerEvent) => {
    if (event.type === 'engine-failed') logger?.error({ err: event.message }, 'the embedded database failed');
    if (event.type === 'maintenance-failed')
      logger?.warn({ err: event.message }, 'embedded database VACUUM failed');
  });
  worker.on('error', (error) => logger?.error({ err: error }, 'the embedded database thread failed'));
  worker.on('exit', (code) => {
    if (!stopping) logger?.error({ code }, 'the embedded database stopped unexpectedly');
  });
  const connection: EmbeddedConnection =
    'path' in listen
      ? { host: runDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' }
      : { host: listen.host, port: ready.port ?? 0, user: 'postgres', database: 'postgres' };
  return {
    connection,
    url: `postgres://postgres@${encodeURIComponent(connection.host)}:${connection.port}/postgres`,
    dataDir: inMemory ? MEMORY_DATA_DIR : options.dataDir,
    preparation: ready.preparation,
    startMs: Math.round(performance.now() - started),
    serverVersion: ready.serverVersion,
    stop() {
      stopping ??= stopWorker(worker).finally(cleanUp);
      return stopping;
    },
  };
}

function waitForReady(
  worker: Worker,
  timeoutMs: number,
): Promise<Extract<EngineWorkerEvent, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new EmbeddedServerError(`the embedded database did not open within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (event: EngineWorkerEvent) => {
      if (event.type === 'ready') {
        finish();
        resolve(event);
      } else if (event.type === 'failed') {
        finish();
        reject(new EmbeddedServerError(event.message));
      }
    };
    const onError = (error: Error) => {
      finish();
      reject(
        new EmbeddedServerError(`the embedded database thread failed: ${error.message}`, { cause: error }),
      );
    };
    const onExit = (code: number) => {
      finish();
      reject(new EmbeddedServerError(`the embedded database thread exited (${code}) before opening`));
    };
    const finish = () => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Asks the worker to close PGlite cleanly; a worker that does not end within 30 s is terminated. */
async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  if (worker.threadId < 0) return;
  worker.postMessage({ type: 'stop' } satisfies EngineWorkerCommand);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 30_000);
  });
  const outcome = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (outcome === 'timeout') await worker.terminate();
}
