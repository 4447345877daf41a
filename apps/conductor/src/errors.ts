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

/** The database's schema has migrations this conductor does not know: a newer conductor upgraded it. */
export class SchemaNewerThanCode extends ConductorError {
  override readonly name = 'SchemaNewerThanCode';
  readonly code = 'DATABASE_SCHEMA_NEWER';
  constructor(
    /** Where the database is (no credentials). */
    readonly location: string,
    /** Migrations applied to the database that this conductor does not have. */
    readonly unknownMigrations: readonly string[],
    /** The newest migration this conductor has. */
    readonly latestKnown: string,
  ) {
    super(
      `The database at ${location} has schema migrations this conductor does not know (${unknownMigrations.join(', ')}; its newest is ${latestKnown}): a newer ironic-conductor upgraded it. Run that version, or restore the backup taken before the upgrade; this conductor will not use it.`,
    );
  }
}

/** The schema is older than the conductor's and `database.migrate_on_start` is off. */
export class SchemaNotUpgraded extends ConductorError {
  override readonly name = 'SchemaNotUpgraded';
  readonly code = 'DATABASE_SCHEMA_OUT_OF_DATE';
  constructor(
    readonly location: string,
    /** Migrations this conductor has that the database has not had. */
    readonly pendingMigrations: readonly string[],
  ) {
    super(
      `The database at ${location} needs ${pendingMigrations.length} schema migration(s) (${pendingMigrations.join(', ')}) and database.migrate_on_start is false: run "ironic-conductor db upgrade" first (after a backup).`,
    );
  }
}

/** A driver reported the power state `error` (Ironic's `PowerStateFailure`): the BMC answered, uselessly. */
export class PowerStateFailure extends ConductorError {
  override readonly name = 'PowerStateFailure';
  readonly code = 'POWER_STATE_FAILURE';
}

/**
 * The conductor cannot start: the message says why and names the configuration field (and the
 * environment variable that sets it, if any) to look at.
 */
export class StartupFailed extends ConductorError {
  override readonly name = 'StartupFailed';
  readonly code = 'STARTUP_FAILED';
  constructor(
    /** The configuration field behind the failure, e.g. `api.port`. */
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * This conductor has not heartbeated for longer than `heartbeat_timeout` (the database was unreachable):
 * the others may have found it dead and taken its nodes, so it takes no node lock until it heartbeats again.
 */
export class ConductorFenced extends ConductorError {
  override readonly name = 'ConductorFenced';
  readonly code = 'CONDUCTOR_FENCED';
  constructor(
    readonly conductorId: string,
    /** The node a lock was asked for. */
    readonly node: string,
  ) {
    super(
      `Conductor ${conductorId} takes no lock on node ${node}: it has not heartbeated to the database for longer than conductor.heartbeat_timeout.`,
    );
  }
}
