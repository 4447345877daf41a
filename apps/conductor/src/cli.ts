#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createConductor } from './conductor.js';
import { loadConfig } from './config/load-config.js';
import { ConductorError } from './errors.js';
import { createLogger } from './logger.js';
import { installShutdownHandlers } from './shutdown.js';

const HELP = `Usage: ironic-conductor [--config <file.json>]

Runs the conductor: loads the enabled driver packages, keeps nodes in PGlite (or PostgreSQL with
DATABASE_URL), runs periodic tasks and serves the Ironic API (default http://127.0.0.1:6385).

Options:
  -c, --config <file>  JSON configuration file (default: $IRONIC_CONDUCTOR_CONFIG)
  -h, --help           Show this help
  -v, --version        Show the version

Environment overrides: DATABASE_URL, IRONIC_DATA_DIR, IRONIC_API_HOST, IRONIC_API_PORT,
IRONIC_MAX_WORKERS, IRONIC_CONDUCTOR_ID, LOG_LEVEL.
`;

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function main(argv: string[]): Promise<number> {
  let values: { config?: string | undefined; help?: boolean | undefined; version?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`ironic-conductor: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const config = await loadConfig(values.config ? { path: values.config } : {});
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty });
  const conductor = await createConductor(config, {
    logger,
    configSource: values.config ?? process.env.IRONIC_CONDUCTOR_CONFIG ?? 'defaults',
  });
  installShutdownHandlers(conductor, { logger, timeout: config.periodic.shutdown_timeout * 1000 });
  await conductor.start();
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof ConductorError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`ironic-conductor: ${message}\n`);
    process.exitCode = 1;
  },
);
