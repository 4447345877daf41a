import { z } from 'zod';

const seconds = (what: string) =>
  z
    .number({ error: `${what} must be a number of seconds` })
    .int(`${what} must be a whole number of seconds`)
    .positive(`${what} must be greater than 0`);

/**
 * The IPA driver's options (snake_case, as Ironic's config names them). Durations are seconds.
 * Unknown keys are refused, so a misspelt option is reported instead of silently ignored.
 */
export const optionsSchema = z
  .strictObject({
    /** Ironic's `[conductor] deploy_callback_timeout`: a deploy waits this long for the agent; 0 waits forever. */
    deploy_callback_timeout: z
      .number({ error: 'deploy_callback_timeout must be a number of seconds' })
      .int('deploy_callback_timeout must be a whole number of seconds')
      .min(0, 'deploy_callback_timeout must be 0 (no timeout) or more')
      .default(1800),
    /** A ramdisk with no heartbeat for this long is checked for life. */
    agent_heartbeat_timeout: seconds('agent_heartbeat_timeout').default(300),
    /** Spacing of `checkDeployTimeouts` (Ironic's `[conductor] check_provision_state_interval`). */
    check_provision_state_interval: seconds('check_provision_state_interval').default(60),
    /** Spacing of `checkDeadRamdisks`. */
    dead_ramdisk_check_interval: seconds('dead_ramdisk_check_interval').default(60),
    /** Agent requests in flight at once, over all nodes. */
    max_concurrent_requests: z
      .number({ error: 'max_concurrent_requests must be a number' })
      .int('max_concurrent_requests must be a whole number')
      .min(1, 'max_concurrent_requests must be at least 1')
      .default(20),
    /** Give up on one agent request after this long (Ironic's `[agent] command_timeout`). */
    agent_request_timeout: seconds('agent_request_timeout').default(60),
    /** Give up on the liveness probe `GET /v1/status` after this long; at most `agent_request_timeout`. */
    agent_status_timeout: seconds('agent_status_timeout').default(10),
    /** What lookup tells agents (Ironic's `[api] ramdisk_heartbeat_timeout`): they heartbeat well within it. */
    heartbeat_timeout: seconds('heartbeat_timeout').default(300),
    /** Let ramdisks stay up while nothing is deployed (Ironic's `[deploy] fast_track`). */
    fast_track: z.boolean({ error: 'fast_track must be true or false' }).default(true),
    /** Give up on one Redfish request to a BMC after this long. */
    redfish_request_timeout: seconds('redfish_request_timeout').default(60),
    /** Redfish requests in flight to one BMC at most (a BMC serves very few at once). */
    redfish_max_requests_per_bmc: z
      .number({ error: 'redfish_max_requests_per_bmc must be a number' })
      .int('redfish_max_requests_per_bmc must be a whole number')
      .min(1, 'redfish_max_requests_per_bmc must be at least 1')
      .default(1),
    /** Redfish requests in flight to all BMCs together at most. */
    redfish_max_concurrent_requests: z
      .number({ error: 'redfish_max_concurrent_requests must be a number' })
      .int('redfish_max_concurrent_requests must be a whole number')
      .min(1, 'redfish_max_concurrent_requests must be at least 1')
      .default(20),
    /**
     * BMC sessions kept open at most (Ironic's `[redfish] connection_cache_size`); beyond, the least
     * recently used is logged out. At least the nodes a conductor runs, or every power-state sync logs in.
     */
    redfish_connection_cache_size: z
      .number({ error: 'redfish_connection_cache_size must be a number' })
      .int('redfish_connection_cache_size must be a whole number')
      .min(1, 'redfish_connection_cache_size must be at least 1')
      .default(1000),
  })
  .refine((options) => options.agent_status_timeout <= options.agent_request_timeout, {
    message: 'agent_status_timeout must not exceed agent_request_timeout',
    path: ['agent_status_timeout'],
  });

/** The validated options, defaults applied. */
export type IpaOptions = z.output<typeof optionsSchema>;
/** The options as a user writes them: every field optional. */
export type IpaOptionsInput = z.input<typeof optionsSchema>;
