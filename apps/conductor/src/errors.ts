/** Base of every error the conductor itself throws: a stable `name` and `code` to branch on. */
export abstract class ConductorError extends Error {
  abstract readonly code: string;
}

/** One bad field of a configuration. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `api.port`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

/** The configuration could not be read or is invalid; names the file (or the environment) and each field. */
export class ConfigError extends ConductorError {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(
    /** The file read, or `"environment"` / `"defaults"` when no file was given. */
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
    options?: ErrorOptions,
  ) {
    super(
      `Invalid configuration in ${source}: ${issues
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join('; ')}`,
      options,
    );
  }
}

/** Why a driver package could not be loaded. */
export type DriverLoadFailure = 'missing-package' | 'no-driver-export' | 'duplicate-name' | 'import-failed';

/** An enabled driver package could not be loaded; names the package and says why. */
export class DriverLoadError extends ConductorError {
  override readonly name = 'DriverLoadError';
  readonly code = 'DRIVER_LOAD_FAILED';
  constructor(
    readonly packageName: string,
    readonly reason: DriverLoadFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The database could not be opened, reached or migrated. */
export class DatabaseError extends ConductorError {
  override readonly name = 'DatabaseError';
  readonly code = 'DATABASE_UNAVAILABLE';
}

/** A migration failed; the database is left at the last migration that succeeded. */
export class MigrationFailed extends ConductorError {
  override readonly name = 'MigrationFailed';
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly migration: string,
    options?: ErrorOptions,
  ) {
    super(`Database migration ${migration} failed: ${describeCause(options?.cause)}`, options);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
