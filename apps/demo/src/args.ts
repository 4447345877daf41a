import { parseArgs } from 'node:util';
import { InvalidDemoOption } from './errors.js';
import type { DemoOptions } from './run-demo.js';

/** The usage text of `ironic-demo`. */
export const USAGE = `Usage: ironic-demo [options]

Starts the conductor (config/conductor.json, embedded database, three drivers), simulated discoverd,
iDRAC BMCs and IPA agents, and takes a fleet through enroll → manage → inspect → clean (RAID-1 root)
→ provide → deploy over the Ironic API, showing it live. Exits 0 when every node ended where it should.

Options:
  --nodes <n>           fleet size: drac, discoverd and ipa nodes in turn (default 100)
  --fail-every <n>      per kind, the 2nd node and every n-th after it are told to fail; 0: none (default 16)
  --keep-running        leave the conductor up after the summary, until Ctrl-C
  --plain               log lines instead of the live view (the default when stdout is not a terminal)
  --config <file>       the conductor configuration (default: config/conductor.json)
  --api-port <port>     override the configuration's API port (0: a free one)
  --discoverd-port <p>  override the port of the configuration's discoverd_url (0: a free one)
  --data-dir <dir>      override database.data_dir (must be empty, or under the demo's .data/)
  --phase-timeout <s>   seconds one phase of one node may take (default 120)
  -h, --help            show this help

Environment: IRONIC_DEMO_API_PORT, IRONIC_DEMO_DISCOVERD_PORT, IRONIC_DEMO_DATA_DIR override as the flags do.
`;

/** What the command line asks for: the demo's options, or help. */
export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly options: DemoOptions };

/** Reads `ironic-demo`'s arguments (flags win over the environment); a bad one throws `InvalidDemoOption`. */
export function parseDemoArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  isTty = false,
): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --nodes 20` hands the `--` on; it separates nothing here.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        nodes: { type: 'string' },
        'fail-every': { type: 'string' },
        'keep-running': { type: 'boolean' },
        plain: { type: 'boolean' },
        config: { type: 'string' },
        'api-port': { type: 'string' },
        'discoverd-port': { type: 'string' },
        'data-dir': { type: 'string' },
        'phase-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new InvalidDemoOption('(command line)', (error as Error).message);
  }
  if (values.help) return { help: true };
  const text = (flag: string, variable?: string): string | undefined => {
    const value = values[flag];
    if (typeof value === 'string') return value;
    return variable ? env[variable] || undefined : undefined;
  };
  const integer = (flag: string, min: number, max: number, variable?: string): number | undefined => {
    const raw = text(flag, variable);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      const source = typeof values[flag] === 'string' ? `--${flag}` : `${variable} (--${flag})`;
      throw new InvalidDemoOption(source, `expected an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const options: Record<string, unknown> = {
    nodes: integer('nodes', 1, 5000),
    failEvery: integer('fail-every', 0, 5000),
    keepRunning: values['keep-running'] === true,
    view: values.plain === true || !isTty ? 'plain' : 'live',
    configFile: text('config'),
    apiPort: integer('api-port', 0, 65535, 'IRONIC_DEMO_API_PORT'),
    discoverdPort: integer('discoverd-port', 0, 65535, 'IRONIC_DEMO_DISCOVERD_PORT'),
    dataDir: text('data-dir', 'IRONIC_DEMO_DATA_DIR'),
    phaseTimeoutMs: ((seconds) => (seconds === undefined ? undefined : seconds * 1000))(
      integer('phase-timeout', 1, 86_400),
    ),
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return { help: false, options: options as DemoOptions };
}
