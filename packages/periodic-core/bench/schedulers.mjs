// The three schedulers the benchmark compares, behind one shape:
//   prepare(tasks, spacingMs) → { handOver(anchors), stop() }
// `prepare` builds whatever the scheduler needs (inside the measured CPU window, outside the timing);
// `handOver` gives it the tasks and writes each task's anchor (performance.now() at hand-over);
// `stop` stops it. Every scheduler gets the same task functions and runs each one immediately.

const distEntry = new URL('../dist/index.js', import.meta.url);

export const SCHEDULERS = ['setInterval', 'toad-scheduler', 'periodic-core'];
/** Not schedulers but yardsticks, measured only when asked for with `--scheduler`. */
export const REFERENCES = ['bare-loop'];

/** Loads a scheduler's adapter (its module import stays outside the measured window). */
export async function loadScheduler(name) {
  switch (name) {
    case 'setInterval':
      return setIntervalPerTask();
    case 'toad-scheduler':
      return toadScheduler(await import('toad-scheduler'));
    case 'periodic-core':
      return periodicCore(await import(distEntry.href));
    case 'bare-loop':
      return bareLoop();
    default:
      throw new Error(`unknown scheduler "${name}" (one of ${[...SCHEDULERS, ...REFERENCES].join(', ')})`);
  }
}

/** One `setInterval` per task, the task called once at registration: the anchor is the registration. */
function setIntervalPerTask() {
  return {
    prepare(tasks, spacingMs) {
      const handles = new Array(tasks.length);
      return {
        handOver(anchors) {
          for (let i = 0; i < tasks.length; i++) {
            anchors[i] = performance.now();
            handles[i] = setInterval(tasks[i], spacingMs);
            tasks[i]();
          }
        },
        async stop() {
          for (const handle of handles) clearInterval(handle);
        },
      };
    },
  };
}

/** toad-scheduler 4: a `SimpleIntervalJob` with `runImmediately: true` per task; the anchor is its add. */
function toadScheduler(module) {
  const { ToadScheduler, SimpleIntervalJob, Task } = module.default ?? module;
  return {
    prepare(tasks, spacingMs) {
      const scheduler = new ToadScheduler();
      const jobs = tasks.map(
        (run, i) =>
          new SimpleIntervalJob(
            { milliseconds: spacingMs, runImmediately: true },
            new Task(`task-${i}`, run),
            {
              id: `task-${i}`,
            },
          ),
      );
      return {
        handOver(anchors) {
          for (let i = 0; i < jobs.length; i++) {
            anchors[i] = performance.now();
            scheduler.addSimpleIntervalJob(jobs[i]);
          }
        },
        async stop() {
          scheduler.stop();
        },
      };
    },
  };
}

/** @ironic/periodic-core with its defaults (system clock, maxWorkers 8): the anchor is the call to start(). */
function periodicCore({ PeriodicWorker, definePeriodicTask }) {
  return {
    prepare(tasks, spacingMs) {
      const worker = new PeriodicWorker();
      worker.add(
        tasks.map((run, i) =>
          definePeriodicTask(run, { name: `task-${i}`, spacing: spacingMs, runImmediately: true }),
        ),
      );
      return {
        handOver(anchors) {
          const anchor = performance.now();
          worker.start();
          anchors.fill(anchor);
        },
        stop: () => worker.stop(),
      };
    },
  };
}

/**
 * The floor for one anchor: every task called back to back in a plain loop, at the anchor and at each
 * anchor + k × S after it, from one setTimeout — no bookkeeping at all (no stats, no overlap guard, no
 * context). When all N tasks fall due in the same millisecond, no scheduler's p99 lateness can be much
 * below this one's: it is what running 99 % of them one after the other costs on this machine.
 */
function bareLoop() {
  return {
    prepare(tasks, spacingMs) {
      let timer;
      let anchor = 0;
      let k = 0;
      const fire = () => {
        for (let i = 0; i < tasks.length; i++) tasks[i]();
        k++;
        timer = setTimeout(fire, Math.max(0, anchor + k * spacingMs - performance.now()));
      };
      return {
        handOver(anchors) {
          anchor = performance.now();
          anchors.fill(anchor);
          timer = setTimeout(fire, 0);
        },
        async stop() {
          clearTimeout(timer);
        },
      };
    },
  };
}
