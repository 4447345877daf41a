// The embedded database's thread: PGlite (PostgreSQL compiled to WebAssembly, which runs synchronously)
// and the PostgreSQL-protocol server in front of it. Whatever the engine computes, the conductor's event
// loop stays free.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { errorMessage } from '../../error-message.js';
import { prepareDataDir } from './data-dir-template.js';
import { ProtocolServer } from './protocol-server.js';
import { simpleQuery } from './wire.js';
import type { EngineWorkerCommand, EngineWorkerData, EngineWorkerEvent } from './worker-protocol.js';

/** The ParameterStatus values clients get at startup, read from the engine. */
const REPORTED = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'DateStyle',
  'IntervalStyle',
  'TimeZone',
  'integer_datetimes',
  'standard_conforming_strings',
] as const;

function post(event: EngineWorkerEvent): void {
  parentPort?.postMessage(event);
}

async function run(data: EngineWorkerData): Promise<void> {
  // Before PGlite compiles its WebAssembly: the flag is read when code is compiled (see EngineWorkerData).
  setFlagsFromString(data.optimize ? '--no-liftoff-only' : '--liftoff-only');
  const started = performance.now();
  const preparation = await prepareDataDir(data.dataDir);
  const prepared = performance.now();
  const pglite = await PGlite.create({
    dataDir: data.dataDir,
    startParams: [...PGlite.defaultStartParams, ...data.startParams],
  });
  const opened = performance.now();
  const parameters: Record<string, string> = {};
  // Read before the server starts: PGlite's own query API and raw protocol streams must not be mixed.
  for (const name of REPORTED) {
    const { rows } = await pglite.query<Record<string, string>>(`SHOW ${name}`);
    const value = rows[0] && Object.values(rows[0])[0];
    if (value !== undefined) parameters[name] = value;
  }
  await analyzeStaleTables(pglite);
  const server = new ProtocolServer({
    engine: {
      exec: (messages, onData) => pglite.execProtocolRawStream(messages, { onRawData: onData }),
    },
    database: 'postgres',
    user: 'postgres',
    parameters,
    idleInTransactionTimeoutMs: data.idleInTransactionTimeoutMs,
    onEngineFailure: (error) => post({ type: 'engine-failed', message: errorMessage(error) }),
  });
  await server.listen('path' in data.listen ? data.listen.path : data.listen);
  const maintenance = scheduleMaintenance(server, data.maintenanceIntervalMs);
  const statisticsCheck = scheduleStatisticsCheck(server, data.statisticsCheckIntervalMs);
  parentPort?.on('message', (command: EngineWorkerCommand) => {
    if (command.type !== 'stop') return;
    clearInterval(maintenance);
    clearInterval(statisticsCheck);
    void (async () => {
      await server.close();
      // A clean shutdown checkpoints, so the next start needs no recovery.
      await pglite.close();
      post({ type: 'stopped' });
      parentPort?.close();
    })();
  });
  post({
    type: 'ready',
    port: server.port,
    preparation,
    prepareMs: Math.round(prepared - started),
    openMs: Math.round(opened - prepared),
    serverVersion: parameters.server_version ?? 'unknown',
  });
}

/**
 * The tables written since they were last analysed — never (a database seeded or restored, or filled by
 * a run that stopped before its first maintenance), or when they were a fifth smaller — as PostgreSQL's
 * autovacuum would have found them. Without statistics the planner takes a node sweep's page query for
 * a rare match and sorts every remaining row for each page, rather than walking the UUID index.
 */
const STALE_TABLES = `SELECT format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
    AND pg_relation_size(c.oid) > 0
    AND (c.reltuples < 0
      OR pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 16)`;

/** Analyses each stale table, in one statement (ANALYZE, unlike VACUUM, may run inside a block). */
const ANALYZE_STALE_TABLES = `DO $analyze$ DECLARE stale text; BEGIN
  FOR stale IN ${STALE_TABLES} LOOP EXECUTE 'ANALYZE ' || stale; END LOOP;
END $analyze$`;

/** Analyses the stale tables, so that the first sweeps are planned with statistics too. */
async function analyzeStaleTables(pglite: PGlite): Promise<void> {
  await pglite.exec(ANALYZE_STALE_TABLES);
}

/**
 * Analyses the tables that grew since their statistics while the engine runs (a fleet enrolled through
 * the API), between two statements of the clients: the full `VACUUM ANALYZE` comes only every 15 minutes.
 */
function scheduleStatisticsCheck(server: ProtocolServer, intervalMs: number): NodeJS.Timeout | undefined {
  if (intervalMs <= 0) return undefined;
  const timer = setInterval(() => {
    server.runExclusive(simpleQuery(ANALYZE_STALE_TABLES)).catch((error: unknown) => {
      post({ type: 'maintenance-failed', message: errorMessage(error) });
    });
  }, intervalMs);
  timer.unref();
  return timer;
}

/**
 * PGlite runs PostgreSQL in single-user mode, which has no autovacuum: without this, dead rows of the
 * constantly updated tables (nodes, conductors) would pile up, and the planner would have no statistics.
 */
function scheduleMaintenance(server: ProtocolServer, intervalMs: number): NodeJS.Timeout | undefined {
  if (intervalMs <= 0) return undefined;
  const timer = setInterval(() => {
    server.runExclusive(simpleQuery('VACUUM ANALYZE')).catch((error: unknown) => {
      post({ type: 'maintenance-failed', message: errorMessage(error) });
    });
  }, intervalMs);
  timer.unref();
  return timer;
}

run(workerData as EngineWorkerData).catch((error: unknown) => {
  post({ type: 'failed', message: errorMessage(error) });
  parentPort?.close();
});
