export {
  ExclusiveLockRequired,
  IllegalTransition,
  InvalidDriverOptions,
  InvalidParameterValue,
  NodeAlreadyExists,
  NodeLocked,
  NodeNotFound,
  UnsupportedDriverExtension,
} from '@ironic/driver-base';
export type { ApiDependencies, ApiPlugin } from './api/api-dependencies.js';
export { type BuildApiOptions, buildApi, CORE_ROUTES } from './api/build-api.js';
export { ApiError, type ApiErrorKind, ironicErrorBody } from './api/ironic-errors.js';
export { type PeriodicTaskFigures, periodicTaskView } from './api/periodic-task-view.js';
export {
  HTTP_METHODS,
  type HttpMethod,
  type MethodSpec,
  type ResourceSpec,
  resource,
} from './api/routing.js';
export { MAX_API_VERSION, MIN_API_VERSION } from './api/versions.js';
export { BackgroundWork } from './background-work.js';
export {
  type ClusterMember,
  ClusterMembership,
  type ClusterMembershipOptions,
  type MembershipChange,
  type NodeKey,
} from './cluster/cluster-membership.js';
export { type ClusterStatusSource, type ConductorStatus, clusterStatus } from './cluster/cluster-status.js';
export {
  acquireDataDirLock,
  DATA_DIR_LOCK_FILE,
  type DataDirLock,
  DataDirLocked,
  type DataDirLockOptions,
  type DataDirLockOwner,
} from './cluster/data-dir-lock.js';
export { HashRing, type HashRingOptions } from './cluster/hash-ring.js';
export {
  type Conductor,
  type ConductorStopOptions,
  type CreateConductorOptions,
  createConductor,
  type StartOptions,
} from './conductor.js';
export {
  type ConfigEntry,
  configEntries,
  UndocumentedConfigField,
} from './config/config-fields.js';
export { ENV_OVERRIDES, type EnvOverride, type EnvValueType } from './config/env-overrides.js';
export { configDocs, documented, type FieldDoc } from './config/field-docs.js';
export { defineConfig, type LoadConfigOptions, loadConfig, parseConfig } from './config/load-config.js';
export { renderConfigReference } from './config/reference.js';
export { type ConductorConfig, type ConductorConfigInput, configSchema } from './config/schema.js';
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type EmbeddedTuning,
} from './db/create-database.js';
export {
  type EmbeddedConnection,
  type EmbeddedServer,
  EmbeddedServerError,
  type EmbeddedServerOptions,
  startEmbeddedServer,
} from './db/embedded/embedded-server.js';
export { MIGRATIONS, migrateToLatest } from './db/migrate.js';
export type { ConductorsTable, NodesTable, PortsTable, Tables } from './db/tables.js';
export {
  type LoadedDriverPackage,
  loadDriverPackages,
  type PackageImporter,
} from './drivers/load-drivers.js';
export {
  ConductorError,
  ConfigError,
  type ConfigIssue,
  DatabaseError,
  DriverLoadError,
  type DriverLoadFailure,
  MigrationFailed,
} from './errors.js';
export { createLogger, type LoggerOptions } from './logger.js';
export { type ClusterMetricsSource, ConductorMetrics, type ConductorMetricsOptions } from './metrics.js';
export { installShutdownHandlers, type ShutdownOptions, type Stoppable } from './shutdown.js';
export { type ConductorRecord, ConductorRegistry } from './store/conductor-registry.js';
export { KyselyNodeRepository, type KyselyNodeRepositoryOptions } from './store/kysely-node-repository.js';
export { KyselyPortRepository } from './store/kysely-port-repository.js';
export { formatTimestamp } from './store/node-row.js';
export {
  type NewPort,
  PORT_SORT_KEYS,
  type Port,
  PortAlreadyExists,
  type PortChanges,
  PortNotFound,
  type PortQuery,
  type PortRepository,
  type PortSortKey,
} from './store/port.js';
