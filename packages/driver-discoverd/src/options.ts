import { z } from 'zod';

/**
 * The `discoverd` driver's options, with Ironic's `[discoverd]`/`[inspector]` option names. Durations are
 * seconds, as in `ironic.conf`; unknown keys are refused so a misspelt option does not pass silently.
 */
export const discoverdOptionsSchema = z.strictObject({
  /** Base URL of discoverd (ironic-inspector), e.g. `http://127.0.0.1:5050`; the API lives under `/v1`. */
  discoverd_url: z
    .url({
      protocol: /^https?$/,
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be an http:// or https:// URL'),
    })
    // A trailing slash would double up when paths are appended.
    .transform((url) => url.replace(/\/+$/, '')),
  /** How often nodes in `inspect wait` are checked, in seconds (Ironic's `status_check_period`). */
  status_check_period: z.number().positive().default(60),
  /** How long a node may stay in `inspect wait` before it fails, in seconds (Ironic's default 1800). */
  inspect_wait_timeout: z.number().positive().default(1800),
  /** At most this many requests to discoverd at once, whatever sends them. */
  max_concurrent_requests: z.number().int().min(1).default(20),
  /** How long one request may wait for discoverd's answer (headers, then body), in seconds. */
  request_timeout: z.number().positive().default(10),
});

/** The options as written in configuration (defaults not yet applied). */
export type DiscoverdOptionsInput = z.input<typeof discoverdOptionsSchema>;

/** The validated options, defaults applied and `discoverd_url` without a trailing slash. */
export type DiscoverdOptions = z.output<typeof discoverdOptionsSchema>;
