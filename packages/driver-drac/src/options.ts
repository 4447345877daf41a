import { z } from 'zod';

/**
 * The drac driver's options (Ironic's `[drac]` section, plus the request bounds). Durations are in
 * seconds, as in Ironic's configuration.
 */
export const dracOptionsSchema = z
  .object({
    /** How often the RAID job poll runs, in seconds (Ironic's `[drac] query_raid_config_job_status_interval`). */
    query_raid_config_job_status_interval: z.number().positive().default(120),
    /** Redfish requests in flight to one BMC at most, whichever task or API call makes them. */
    max_requests_per_bmc: z.number().int().min(1).default(1),
    /** Redfish requests in flight to all BMCs together at most. */
    max_concurrent_requests: z.number().int().min(1).default(20),
    /** How long one Redfish request may take before the BMC counts as unreachable, in seconds. */
    request_timeout: z.number().positive().default(30),
    /**
     * BMC sessions kept open at most (Ironic's `[redfish] connection_cache_size`); beyond, the least
     * recently used is logged out. Give it at least the number of nodes a conductor runs, or every
     * power-state sync logs in again.
     */
    connection_cache_size: z.number().int().min(1).default(1000),
  })
  .strict();

/** The drac driver's validated options, defaults applied. */
export type DracOptions = z.output<typeof dracOptionsSchema>;

/** The options as a deployer writes them: every field optional. */
export type DracOptionsInput = z.input<typeof dracOptionsSchema>;
