#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dbUpgrade, dbVersion } from './cli/db-commands.js';
import { healthcheck } from './cli/healthcheck-command.js';
import { USAGE } from './cli/usage.js';
import { createConductor } from './conductor.js';
import { loadConfig } from './config/load-config.js';
import type { ConductorConfig } from './config/schema.js';
import { ConductorError } from './errors.js';
import { createLogger } from './logger.js';
import { installShutdownHandlers } from './shutdown.js';

/** Milliseconds a conductor whose start failed may take to close what it opened. */
const STOP_AFTER_FAILED_START_MS = 2_000;

/** The commands, by their words on the command line. */
const COMMANDS = ['run', 'db upgrade', 'db version', 'healthcheck'] as const;
type Command = (typeof COMMANDS)[number];

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function commandOf(positionals: readonly string[]): Command {
  const words = positionals.join(' ');
  if (words === '') return 'run';
  const command = COMMANDS.find((name) => name === words);
  if (!command) throw new Error(`unknown command "${words}"`);
  return command;
}

async function run(config: ConductorConfig, configFile: string | undefined): Promise<number> {
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty });
  const conductor = await createConductor(config, {
    logger,
    configSource: configFile ?? process.env.IRONIC_CONDUCTOR_CONFIG ?? 'defaults',
  });
  installShutdownHandlers(conductor, { logger, timeout: config.periodic.shutdown_timeout * 1000 });
  try {
    await conductor.start();
  } catch (error) {
    // Whatever started is stopped (the database closed, the data directory released) before the exit.
    await conductor.stop({ timeout: STOP_AFTER_FAILED_START_MS }).catch(() => undefined);
    throw error;
  }
  return -1; // runs until a signal; the shutdown handlers exit
}

async function main(argv: string[]): Promise<number> {
  let values: { config?: string | undefined; help?: boolean | undefined; version?: boolean | undefined };
  let command: Command;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: true,
    });
    values = parsed.values;
    command = commandOf(parsed.positionals);
  } catch (error) {
    process.stderr.write(`ironic-conductor: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const config = await loadConfig(values.config ? { path: values.config } : {});
  switch (command) {
    case 'run':
      return run(config, values.config);
    case 'db upgrade':
      return dbUpgrade(config, process.stdout);
    case 'db version':
      return dbVersion(config, process.stdout);
    case 'healthcheck':
      return healthcheck(config, process.stderr);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof ConductorError || error instanceof Error ? error.message : String(error);
    // One line, and an exit now: nothing left open (a pool, a timer) may keep a failed start alive.
    process.stderr.write(`ironic-conductor: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(1);
  },
);
