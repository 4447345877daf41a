#!/usr/bin/env node
import { parseDemoArgs, USAGE } from './args.js';
import { DemoError } from './errors.js';
import { runDemo } from './run-demo.js';

/** How long after a first Ctrl-C further signals count as relayed copies of it. */
const RELAYED_SIGNAL_WINDOW_MS = 2000;

async function main(): Promise<number> {
  const parsed = parseDemoArgs(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const controller = new AbortController();
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstSignalAt === undefined) {
      firstSignalAt = now;
      process.stderr.write(`\n${signal}: stopping the conductor, then the simulators...\n`);
      controller.abort();
      return;
    }
    // npm exec and pnpm relay the terminal's Ctrl-C to their child as well (SIGINT, then SIGTERM on their
    // way out): copies arriving with the first are the same request, not a second Ctrl-C.
    if (now - firstSignalAt < RELAYED_SIGNAL_WINDOW_MS) return;
    process.stderr.write(`\n${signal} again: exiting without waiting\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await runDemo({ ...parsed.options, signal: controller.signal });
  // Stopped on request, and everything it started is stopped: a success, as the conductor's own SIGINT is.
  if (result.interrupted) return 0;
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
