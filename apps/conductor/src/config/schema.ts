import { hostname } from 'node:os';
import { z } from 'zod';

const seconds = z.number().positive();

/** The conductor's configuration file, as validated (snake_case like Ironic's options). */
export const configSchema = z
  .object({
    conductor: z
      .object({
        /** This conductor's id: what `reservation` holds while it has a node locked. Default: the hostname. */
        id: z.string().min(1).optional(),
        /** The host name shown in `GET /v1/drivers` `hosts`. Default: the machine's hostname. */
        host: z
          .string()
          .min(1)
          .default(() => hostname()),
        /** Seconds between liveness heartbeats (Ironic's `[conductor] heartbeat_interval`). */
        heartbeat_interval: seconds.default(10),
        /** Seconds without a heartbeat after which a conductor counts as dead (`heartbeat_timeout`). */
        heartbeat_timeout: seconds.default(60),
      })
      .strict()
      // A timeout within one interval would have live conductors flap in and out of the hash rings.
      .refine((conductor) => conductor.heartbeat_timeout > conductor.heartbeat_interval, {
        path: ['heartbeat_timeout'],
        message: 'must be longer than conductor.heartbeat_interval',
      })
      .prefault({}),
    api: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        /** Ironic's port. 0 picks a free one. */
        port: z.number().int().min(0).max(65535).default(6385),
      })
      .strict()
      .prefault({}),
    database: z
      .object({
        /** `postgres://...` to use PostgreSQL; otherwise the embedded PGlite. */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
          .optional(),
        /** PGlite's data directory; `memory://` keeps everything in memory. */
        data_dir: z.string().min(1).default('.data/conductor'),
        /** PostgreSQL only: the schema to use. */
        schema: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier')
          .optional(),
      })
      .strict()
      .prefault({}),
    periodic: z
      .object({
        /** How many periodic tasks run at once (Ironic's `periodic_max_workers`). */
        max_workers: z.number().int().positive().default(8),
        /** Seconds to let running tasks finish on shutdown before aborting them. */
        shutdown_timeout: seconds.default(30),
      })
      .strict()
      .prefault({}),
    drivers: z
      .object({
        /** Driver packages to load, by package name (e.g. `@ironic/driver-drac`). */
        enabled: z.array(z.string().min(1)).default([]),
        /** Each driver's options, by driver name. */
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .prefault({}),
    agent: z
      .object({
        /** Seconds a ramdisk agent is told it may go between heartbeats (Ironic's `[api] ramdisk_heartbeat_timeout`). */
        heartbeat_timeout: z.number().int().positive().default(300),
        /** Let ramdisks stay up while nothing is deployed, so they may look their node up (`[deploy] fast_track`). */
        fast_track: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Human-readable logs; default: when stdout is a terminal. */
        pretty: z.boolean().optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The configuration as written (before defaults). */
export type ConductorConfigInput = z.input<typeof configSchema>;
/** The configuration with every default applied. */
export type ConductorConfig = z.output<typeof configSchema>;
