// One node sweep's cost, measured in this process: wall time and CPU time (user + system) of runs of a
// per-node periodic task over every node of a database, as the conductor's worker runs them.
import { createNodeSweepTask, defineNodePeriodic, ringPoint, TaskManager } from '@ironic/driver-base';
import pino from 'pino';

const logger = pino({ level: 'silent' });
const WHOLE_RING = [{ from: 0, to: 2 ** 32 - 1 }];

/**
 * A sweep over the nodes of `driver`: shared locks, `concurrency` lanes, a handler that waits
 * `handlerMs` (0: returns at once). Ownership is selected in SQL as a lone conductor's (the whole ring)
 * unless `ownedRanges` and `ownsNode` say otherwise.
 */
export function sweepTask({
  repository,
  driver,
  concurrency,
  handlerMs,
  ownedRanges = () => WHOLE_RING,
  // As the conductor's, a check of each node's ring point as its page arrives (an MD5 per node).
  ownsNode = (node) => ringPoint(node.uuid) >= 0,
  pageSize,
}) {
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let visited = 0;
  const definition = defineNodePeriodic(
    async () => {
      visited += 1;
      if (handlerMs > 0) await wait(handlerMs);
    },
    { name: `bench.sweep.${handlerMs}ms.c${concurrency}`, spacing: 1, concurrency },
  );
  const nodes = new TaskManager({ repository, conductorId: 'bench', logger });
  const task = createNodeSweepTask(definition, {
    nodes,
    drivers: [driver],
    logger,
    ownedRanges,
    ownsNode,
    ...(pageSize ? { pageSize } : {}),
  });
  return {
    task,
    get visited() {
      return visited;
    },
  };
}

/** Runs the sweep once; its wall and CPU milliseconds and the nodes it visited. */
export async function timeSweep(sweep) {
  const before = sweep.visited;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sweep.task.run({
    signal: new AbortController().signal,
    name: sweep.task.name,
    scheduledAt: Date.now(),
    logger,
  });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, visited: sweep.visited - before };
}

/** Runs a load-generator process (load.mjs) against `base`; resolves to its figures. */
export function runLoad({ base, paths, concurrency, durationS }) {
  return import('node:child_process').then(
    ({ execFile }) =>
      new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          [
            new URL('./load.mjs', import.meta.url).pathname,
            JSON.stringify({ base, paths, concurrency, durationS }),
          ],
          { maxBuffer: 1 << 20 },
          (error, stdout, stderr) =>
            error
              ? reject(new Error(`load failed: ${stderr || error.message}`))
              : resolve(JSON.parse(stdout)),
        );
      }),
  );
}
