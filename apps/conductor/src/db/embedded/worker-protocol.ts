// What the conductor's thread and the embedded engine's worker thread say to each other.

/** Where the worker's server listens: a unix socket path, or a loopback TCP port (0 picks one). */
export type ListenAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/** The worker's `workerData`. */
export interface EngineWorkerData {
  /** PGlite's data directory (filled from the template when empty). */
  readonly dataDir: string;
  readonly listen: ListenAddress;
  /** Extra `postgres` arguments (`-c name=value`). */
  readonly startParams: readonly string[];
  readonly idleInTransactionTimeoutMs: number;
  /**
   * Whether V8 may optimise the engine's hot code (TurboFan), or keeps its baseline code (Liftoff).
   * A process-wide V8 flag, set before PGlite compiles (see `EmbeddedServerOptions.optimize`).
   */
  readonly optimize: boolean;
  /** Milliseconds between `VACUUM ANALYZE` runs (PGlite has no autovacuum); 0 turns them off. */
  readonly maintenanceIntervalMs: number;
  /** Milliseconds between looks for tables grown since their statistics (analysed then); 0 turns them off. */
  readonly statisticsCheckIntervalMs: number;
}

/** Messages from the worker. */
export type EngineWorkerEvent =
  | {
      readonly type: 'ready';
      /** The TCP port when listening on one. */
      readonly port: number | undefined;
      readonly preparation: 'existing' | 'from-template';
      /** Milliseconds spent preparing the data directory and opening PGlite. */
      readonly prepareMs: number;
      readonly openMs: number;
      readonly serverVersion: string;
    }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'engine-failed'; readonly message: string }
  | { readonly type: 'maintenance-failed'; readonly message: string }
  | { readonly type: 'stopped' };

/** Messages to the worker. */
export type EngineWorkerCommand = { readonly type: 'stop' };
