#!/usr/bin/env node
import { parseDemoArgs, USAGE } from './args.js';
import { DemoError } from './errors.js';
import { runDemo } from './run-demo.js';

async function main(): Promise<number> {
  const parsed = parseDemoArgs(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      process.stderr.write(`\n${signal} again: exiting without waiting\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping the conductor, then the simulators...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await runDemo({ ...parsed.options, signal: controller.signal });
  if (result.interrupted) return 130;
  return result.summary.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof DemoError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`ironic-demo: ${message}\n`);
    process.exitCode = error instanceof DemoError && error.code === 'DEMO_INVALID_OPTION' ? 2 : 1;
  },
);
