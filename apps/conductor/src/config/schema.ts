import { hostname } from 'node:os';
import { z } from 'zod';
import { documented } from './field-docs.js';

// Every section and field is `documented(...)`: CONFIGURATION.md is generated from these docs, and a test
// fails until it is regenerated (`pnpm --filter @ironic/conductor config:reference`).

const seconds = z.number().positive();
const SECONDS = 'seconds > 0';
const SECONDS_OR_ZERO = 'seconds ≥ 0';

const conductorSection = z
  .object({
    id: documented(z.string().min(1).optional(), {
      description:
        "This conductor's id: what a node's `reservation` holds while this conductor has it locked. Give each conductor of a cluster its own.",
      env: 'IRONIC_CONDUCTOR_ID',
      defaultText: '`conductor.host`',
    }),
    host: documented(
      z
        .string()
        .min(1)
        .default(() => hostname()),
      {
        description: 'The host name this conductor shows (`GET /v1/conductors`, `hosts` of a driver).',
        defaultText: "the machine's hostname",
      },
    ),
    heartbeat_interval: documented(seconds.default(10), {
      description: "Seconds between liveness heartbeats (Ironic's `[conductor] heartbeat_interval`).",
      typeText: SECONDS,
    }),
    heartbeat_timeout: documented(seconds.default(60), {
      description:
        "Seconds without a heartbeat after which a conductor fences itself (owns no node, takes no lock until a heartbeat succeeds), and after which the others may find it dead — once their own heartbeats have succeeded for as long — and take its nodes (Ironic's `[conductor] heartbeat_timeout`). Must be longer than `heartbeat_interval`.",
      typeText: SECONDS,
    }),
    sync_power_state_interval: documented(z.number().min(0).default(60), {
      description:
        "Seconds between two runs of `conductor.syncPowerStates`, which reads the power state of every node this conductor owns from its BMC and reconciles it with the stored one (Ironic's `[conductor] sync_power_state_interval`). 0 disables the sync.",
      typeText: SECONDS_OR_ZERO,
    }),
    force_power_state_during_sync: documented(z.boolean().default(true), {
      description:
        "When the BMC reports another power state than the stored one: `true` powers the node back to the stored state; `false` records the BMC's (Ironic's `[conductor] force_power_state_during_sync`).",
    }),
    power_state_sync_max_retries: documented(z.number().int().min(0).default(3), {
      description:
        "Sweeps in a row a node's power state may disagree (or its BMC fail to answer) before the sync puts the node in maintenance with fault `power failure` (Ironic's `[conductor] power_state_sync_max_retries`).",
    }),
    sync_power_state_workers: documented(z.number().int().positive().default(8), {
      description:
        "Nodes the power-state sync handles at once (Ironic's `[conductor] sync_power_state_workers`); each driver's own bound on requests to one BMC still holds. Raise it with the driver's `max_concurrent_requests`.",
    }),
    power_failure_recovery_interval: documented(z.number().min(0).default(300), {
      description:
        "Seconds between two runs of `conductor.checkPowerFailureRecovery`, which takes nodes with fault `power failure` out of maintenance once their BMC answers again (Ironic's `[conductor] power_failure_recovery_interval`). 0 disables it.",
      typeText: SECONDS_OR_ZERO,
    }),
    check_provision_state_interval: documented(z.number().min(0).default(60), {
      description:
        "Seconds between two runs of `conductor.checkWaitTimeouts`, which fails nodes that waited longer than their wait's timeout, for every driver (Ironic's `[conductor] check_provision_state_interval`). 0 disables the check.",
      typeText: SECONDS_OR_ZERO,
    }),
    clean_callback_timeout: documented(z.number().min(0).default(1800), {
      description:
        "Seconds a node may stay in `clean wait` (a ramdisk's callback, a BMC's RAID job) before it goes to `clean failed` with `Timeout reached while cleaning the node…` and the last error recorded while it waited (Ironic's `[conductor] clean_callback_timeout`). 0 waits forever.",
      typeText: SECONDS_OR_ZERO,
    }),
    inspect_wait_timeout: documented(z.number().min(0).default(1800), {
      description:
        "Seconds a node may stay in `inspect wait` before it goes to `inspect failed` (Ironic's `[conductor] inspect_wait_timeout`). 0 waits forever.",
      typeText: SECONDS_OR_ZERO,
    }),
    deploy_callback_timeout: documented(z.number().min(0).default(1800), {
      description:
        "Seconds a node may stay in `wait call-back` before it goes to `deploy failed` (Ironic's `[conductor] deploy_callback_timeout`). 0 waits forever.",
      typeText: SECONDS_OR_ZERO,
    }),
    rescue_callback_timeout: documented(z.number().min(0).default(1800), {
      description:
        "Seconds a node may stay in `rescue wait` before it goes to `rescue failed` (Ironic's `[conductor] rescue_callback_timeout`). 0 waits forever.",
      typeText: SECONDS_OR_ZERO,
    }),
  })
  .strict()
  // A timeout within one interval would have live conductors flap in and out of the hash rings.
  .refine((conductor) => conductor.heartbeat_timeout > conductor.heartbeat_interval, {
    path: ['heartbeat_timeout'],
    message: 'must be longer than conductor.heartbeat_interval',
  });

const tlsSection = z
  .object({
    cert_file: documented(z.string().min(1).optional(), {
      description:
        "PEM certificate (chain) the API serves HTTPS with (Ironic's `[ssl] cert_file`). Set with `key_file`; unset, the API speaks plain HTTP.",
      env: 'IRONIC_TLS_CERT_FILE',
      defaultText: 'none: plain HTTP',
    }),
    key_file: documented(z.string().min(1).optional(), {
      description: "The certificate's PEM private key (Ironic's `[ssl] key_file`).",
      env: 'IRONIC_TLS_KEY_FILE',
      defaultText: 'none',
    }),
  })
  .strict()
  .refine((tls) => (tls.cert_file === undefined) === (tls.key_file === undefined), {
    path: ['key_file'],
    message: 'api.tls.cert_file and api.tls.key_file go together: set both, or neither',
  });

const apiSection = z
  .object({
    host: documented(z.string().min(1).default('127.0.0.1'), {
      description:
        'The address the API listens on. Beyond loopback (e.g. `0.0.0.0`) with `auth_strategy` `noauth`, the conductor logs a warning at start.',
      env: 'IRONIC_API_HOST',
    }),
    port: documented(z.number().int().min(0).max(65535).default(6385), {
      description: "The API's port (Ironic's is 6385). 0 picks a free one.",
      env: 'IRONIC_API_PORT',
    }),
    auth_strategy: documented(z.enum(['noauth', 'http_basic']).default('noauth'), {
      description:
        "How API clients authenticate (Ironic's `[DEFAULT] auth_strategy`): `noauth`, no authentication; `http_basic`, HTTP Basic against `http_basic_auth_user_file`. Either way `/`, `/v1`, `/healthz` and the ramdisk endpoints (`/v1/lookup`, `/v1/heartbeat/{node}`, which check the agent token) stay open, as in Ironic.",
      env: 'IRONIC_AUTH_STRATEGY',
    }),
    http_basic_auth_user_file: documented(z.string().min(1).default('/etc/ironic/htpasswd'), {
      description:
        "With `http_basic`: an Apache htpasswd file of `user:bcrypt-hash` lines (`htpasswd -B`), as Ironic's `[DEFAULT] http_basic_auth_user_file`. Read at start and again whenever it changes; only bcrypt hashes (`$2y$`, `$2a$`, `$2b$`) are accepted.",
      env: 'IRONIC_HTTP_BASIC_AUTH_USER_FILE',
    }),
    tls: documented(tlsSection.prefault({}), {
      description: 'HTTPS for the API (Ironic serves it with `[api] enable_ssl_api` and `[ssl]`).',
    }),
  })
  .strict();

const databaseSection = z
  .object({
    url: documented(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
      {
        description:
          '`postgres://user:password@host:5432/db` selects PostgreSQL (what several conductors share); unset, the embedded PGlite keeps the data in `data_dir`.',
        env: 'DATABASE_URL',
        defaultText: 'none: the embedded PGlite',
      },
    ),
    data_dir: documented(z.string().min(1).default('.data/conductor'), {
      description:
        "PGlite's data directory, relative to the working directory unless absolute; `memory://` keeps nothing on disk. One conductor at a time: it holds `conductor.lock` there.",
      env: 'IRONIC_DATA_DIR',
    }),
    schema: documented(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier')
        .optional(),
      {
        description: 'The schema to keep the tables in (created when missing), on either database.',
        defaultText: "the server's `search_path` (usually `public`)",
      },
    ),
    connect_timeout: documented(z.number().min(0).default(30), {
      description:
        'PostgreSQL: seconds to keep trying a server that refuses or does not answer at start, with backoff (0.25 s doubling up to 5 s), each wait logged (`waiting for the database`), before the start fails. A service started before its database comes up once the database does. 0 tries once.',
      typeText: SECONDS_OR_ZERO,
    }),
    max_pool_size: documented(z.number().int().positive().default(10), {
      description:
        "PostgreSQL: the most connections this conductor holds open at once (as oslo.db's `[database] max_pool_size`). Keep the sum over all conductors, plus the API's other clients, under the server's `max_connections`. The embedded database uses 4.",
    }),
    migrate_on_start: documented(z.boolean().default(true), {
      description:
        'Apply pending database migrations at start. `false`: a start against an older schema refuses, naming the pending migrations, until `ironic-conductor db upgrade` has run (what a cluster of several conductors upgrading one by one wants).',
    }),
  })
  .strict();

const periodicSection = z
  .object({
    max_workers: documented(z.number().int().positive().default(8), {
      description: "How many periodic tasks run at once (Ironic's `[conductor] periodic_max_workers`).",
      env: 'IRONIC_MAX_WORKERS',
    }),
    shutdown_timeout: documented(seconds.default(30), {
      description:
        'Seconds a stop (SIGTERM, SIGINT) lets running periodic tasks and provision actions finish before aborting them.',
      typeText: SECONDS,
    }),
  })
  .strict();

const driversSection = z
  .object({
    enabled: documented(z.array(z.string().min(1)).default([]), {
      description:
        "Driver **packages** to load, by npm package name (e.g. `@ironic/driver-drac`), from the conductor's own dependencies or the working directory's `node_modules`.",
    }),
    options: documented(z.record(z.string(), z.unknown()).default({}), {
      description:
        "Each **driver**'s options, keyed by driver name (e.g. `drac`), checked by the driver's own schema: see each driver's README.",
    }),
  })
  .strict();

const agentSection = z
  .object({
    heartbeat_timeout: documented(z.number().int().positive().default(300), {
      description:
        "Seconds a ramdisk agent is told at lookup it may go between heartbeats (Ironic's `[api] ramdisk_heartbeat_timeout`).",
    }),
    fast_track: documented(z.boolean().default(true), {
      description:
        "Let ramdisks look their node up while nothing is deployed (enroll, manageable, available), so a deploy can skip a reboot (Ironic's `[deploy] fast_track`).",
    }),
  })
  .strict();

const logSection = z
  .object({
    level: documented(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      {
        description:
          "`info` logs each request, the drivers' work on nodes and every failed run; `debug` adds skipped runs.",
        env: 'LOG_LEVEL',
      },
    ),
    pretty: documented(z.boolean().optional(), {
      description: 'Human-readable lines instead of JSON lines.',
      defaultText: 'when stdout is a terminal',
    }),
  })
  .strict();

/** The conductor's configuration file, as validated (snake_case like Ironic's options). */
export const configSchema = z
  .object({
    conductor: documented(conductorSection.prefault({}), {
      description: 'This conductor: its identity and its liveness in the cluster.',
    }),
    api: documented(apiSection.prefault({}), {
      description: 'The Ironic API: where it listens, authentication, TLS.',
    }),
    database: documented(databaseSection.prefault({}), {
      description: 'Where nodes are kept: the embedded PGlite, or PostgreSQL.',
    }),
    periodic: documented(periodicSection.prefault({}), {
      description: 'The worker that runs every periodic task.',
    }),
    drivers: documented(driversSection.prefault({}), {
      description: 'Which driver packages to load, and their options.',
    }),
    agent: documented(agentSection.prefault({}), {
      description: 'What `GET /v1/lookup` tells ramdisk agents (IPA).',
    }),
    log: documented(logSection.prefault({}), {
      description: 'Logs: JSON lines on stdout (pino).',
    }),
  })
  .strict();

/** The configuration as written (before defaults). */
export type ConductorConfigInput = z.input<typeof configSchema>;
/** The configuration with every default applied. */
export type ConductorConfig = z.output<typeof configSchema>;
