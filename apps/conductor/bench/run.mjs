// The conductor's benchmarks, each in its own process (so one's memory does not count in the other's):
// the embedded database's start and memory, the event loop under heavy database work, and the engine's
// speed and memory with baseline or optimised WebAssembly code.
// Options are passed on (see each file). Usage: node bench/run.mjs [--runs=3] [--nodes=5000] [--duration=10]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const file of ['start-memory.mjs', 'event-loop.mjs', 'engine-speed.mjs']) {
  console.log(`\n# ${file}`);
  const { status } = spawnSync(
    process.execPath,
    [fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  if (status !== 0) process.exit(status ?? 1);
}
