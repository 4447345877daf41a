// Fleet benchmark of the power-state sync (issue 16): the real conductor (bin/ironic-conductor.js, its
// embedded PGlite database) with N drac nodes, each with its own simulated iDRAC that answers every
// request after L ms, syncing with K workers. Measured from the BMC side, in processes of their own:
//
//   sweep        first arrival to last answer of the GETs of the System within one cycle (the k-th GET
//                of every BMC belongs to cycle k); cycle 1 logs in and is a warm-up, not measured
//   floor        N × L / K: K requests in flight all the time, each taking L
//   requests     every request the BMCs received during the measured cycles, per node per cycle
//   cpu          the conductor process's CPU time (/proc/<pid>/stat) during the measured sweeps
//   peak RSS     the conductor process's VmHWM
//
//   node bench/fleet.mjs [--case=1k,10k] [--sweeps=3] [--check] [--profile=<dir>] [--node-options=<opts>]
//
// One JSON line per case on stdout; progress on stderr. --check exits 1 unless every target held;
// --profile writes the conductor's CPU profile (node --cpu-prof) into <dir>; --node-options passes more
// options to the conductor's node (space-separated, e.g. "--heap-prof --heap-prof-dir=/tmp/heap").
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CASES = {
  '1k': { nodes: 1_000, latencyMs: 50, workers: 8, intervalS: 10, target: 1.1 },
  '10k': { nodes: 10_000, latencyMs: 50, workers: 64, intervalS: 12, target: 1.2, cpuTarget: 25 },
};
/** BMCs per simulator process (each BMC holds a listening socket and a connection: mind `ulimit -n`). */
const BMCS_PER_PROCESS = 5_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '..');
const { values } = parseArgs({
  options: {
    case: { type: 'string', default: Object.keys(CASES).join(',') },
    sweeps: { type: 'string', default: '3' },
    check: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'node-options': { type: 'string', default: '' },
  },
});
const caseNames = values.case.split(',');
for (const name of caseNames)
  if (!CASES[name]) fail(`unknown case "${name}" (${Object.keys(CASES).join(', ')})`);
const measuredSweeps = Number(values.sweeps);
if (!(measuredSweeps >= 1)) fail('--sweeps must be ≥ 1');

const { createDatabase, migrateToLatest } = await import(path.join(appDir, 'dist/index.js')).catch(() =>
  fail('dist/ is missing: build first (pnpm --filter @ironic/conductor build)'),
);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

log(
  `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${loadAverage()}`,
);
let allHeld = true;
for (const name of caseNames) {
  const result = await runCase(name, CASES[name]);
  if (!Object.values(result.held).every(Boolean)) allHeld = false;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
if (values.check && !allHeld) process.exit(1);

async function runCase(name, spec) {
  const { nodes, latencyMs, workers, intervalS } = spec;
  const loadBefore = loadAverage();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'ironic-fleet-bench-'));
  const simulators = [];
  let conductor;
  try {
    log(`${name}: starting ${nodes} simulated iDRACs (${latencyMs} ms each)`);
    for (let first = 0; first < nodes; first += BMCS_PER_PROCESS) {
      simulators.push(startSimulators(Math.min(BMCS_PER_PROCESS, nodes - first), latencyMs, `bmc${first}`));
    }
    const urls = (await Promise.all(simulators.map((sim) => sim.started))).flat();

    log(`${name}: enrolling ${nodes} active nodes in the embedded database`);
    const dataDir = path.join(workDir, 'data');
    await seed(dataDir, urls);

    const configFile = path.join(workDir, 'conductor.json');
    await writeFile(
      configFile,
      JSON.stringify({
        conductor: {
          id: 'bench-conductor',
          host: 'bench-conductor',
          sync_power_state_interval: intervalS,
          sync_power_state_workers: workers,
        },
        api: { host: '127.0.0.1', port: 0 },
        database: { data_dir: dataDir },
        drivers: {
          enabled: ['@ironic/driver-drac'],
          options: {
            drac: {
              max_requests_per_bmc: 1,
              max_concurrent_requests: workers,
              connection_cache_size: nodes,
            },
          },
        },
        log: { level: 'info', pretty: false },
      }),
    );
    log(`${name}: starting the conductor (sync every ${intervalS} s, ${workers} workers)`);
    conductor = await startConductor(configFile);
    const sampler = sampleCpu(
      conductor.pid,
      simulators.map((sim) => sim.pid),
    );

    const wanted = (measuredSweeps + 1) * nodes;
    const deadline =
      Date.now() +
      (measuredSweeps + 4) * Math.max(intervalS, (3 * nodes * latencyMs) / workers / 1000) * 1000 +
      60_000;
    for (;;) {
      const done = (await Promise.all(simulators.map((sim) => sim.ask('count')))).reduce(
        (sum, m) => sum + m.systemGets,
        0,
      );
      if (done >= wanted) break;
      if (Date.now() > deadline)
        throw new Error(`only ${done} of ${wanted} GETs of the System within the deadline`);
      if (conductor.exitCode !== null) throw new Error(`the conductor exited with ${conductor.exitCode}`);
      await sleep(250);
    }
    const bmcs = (await Promise.all(simulators.map((sim) => sim.ask('report')))).flatMap((m) => m.bmcs);
    const peakRssMiB = await peakRss(conductor.pid);
    const cpu = sampler.stop();
    return summarise({ name, spec, bmcs, cpu, peakRssMiB, loadBefore });
  } finally {
    if (conductor) await stopProcess(conductor);
    for (const sim of simulators) sim.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

function summarise({ name, spec, bmcs, cpu, peakRssMiB, loadBefore }) {
  const { nodes, latencyMs, workers, intervalS, target, cpuTarget } = spec;
  const floorMs = (nodes * latencyMs) / workers;
  const cycles = [];
  for (let k = 0; k <= measuredSweeps; k++) {
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (const bmc of bmcs) {
      const [arrived, answered] = bmc.gets[k];
      start = Math.min(start, arrived);
      end = Math.max(end, answered);
    }
    cycles.push({ start, end });
  }
  const measured = cycles.slice(1);
  const from = measured[0].start;
  const to = measured.at(-1).end;
  let requests = 0;
  let exactlyOne = true;
  for (const bmc of bmcs) {
    const gets = bmc.gets.slice(1, measuredSweeps + 1);
    const others = bmc.others.filter((t) => t >= from && t <= to).length;
    requests += gets.length + others;
    if (gets.length !== measuredSweeps || others !== 0) exactlyOne = false;
  }
  const sweeps = measured.map(({ start, end }) => {
    const used = cpu.between(start, end);
    const cpuSeconds = used.user + used.system;
    const sweepMs = end - start;
    return {
      sweepMs: round(sweepMs),
      ratioToFloor: round(sweepMs / floorMs, 3),
      cpuSeconds: round(cpuSeconds, 2),
      cpuSystemSeconds: round(used.system, 2),
      cpuPercent: round((100 * cpuSeconds * 1000) / sweepMs, 1),
      simulatorsCpuSeconds: round(used.simulators, 2),
      machineBusyPercent: round(used.machineBusyPercent, 1),
    };
  });
  const sweepTotalMs = sweeps.reduce((sum, s) => sum + s.sweepMs, 0);
  const cpuSeconds = sweeps.reduce((sum, s) => sum + s.cpuSeconds, 0);
  const worstRatio = Math.max(...sweeps.map((s) => s.ratioToFloor));
  const cpuPercent = round((100 * cpuSeconds * 1000) / sweepTotalMs, 1);
  const requestsPerNodePerSweep = round(requests / (nodes * measuredSweeps), 4);
  const held = {
    sweep: worstRatio <= target,
    requests: exactlyOne && requestsPerNodePerSweep === 1,
    ...(cpuTarget === undefined ? {} : { cpu: cpuPercent < cpuTarget }),
  };
  return {
    case: name,
    nodes,
    latencyMs,
    workers,
    intervalS,
    floorMs: round(floorMs),
    sweeps,
    worstRatioToFloor: worstRatio,
    targetRatio: target,
    requestsPerNodePerSweep,
    cpuSeconds: round(cpuSeconds, 2),
    cpuPercentDuringSweeps: cpuPercent,
    ...(cpuTarget === undefined ? {} : { cpuTargetPercent: cpuTarget }),
    warmUpSweepMs: round(cycles[0].end - cycles[0].start),
    peakRssMiB,
    held,
    loadAverage: { before: loadBefore, after: loadAverage() },
    cpus: os.cpus().length,
    node: process.version,
  };
}

/** Creates the nodes as an operator's fleet would be: active, powered on, each with its own iDRAC. */
async function seed(dataDir, urls) {
  const database = await createDatabase({ dataDir });
  try {
    await migrateToLatest(database.db);
    const createdAt = new Date();
    for (let first = 0; first < urls.length; first += 500) {
      const rows = urls.slice(first, first + 500).map((url, index) => ({
        uuid: randomUUID(),
        name: `node-${first + index}`,
        driver: 'drac',
        driver_info: JSON.stringify({
          redfish_address: url,
          redfish_username: 'root',
          redfish_password: 'calvin',
        }),
        provision_state: 'active',
        power_state: 'power on',
        created_at: createdAt,
      }));
      await database.db.insertInto('nodes').values(rows).execute();
    }
  } finally {
    await database.close();
  }
}

function startSimulators(count, latencyMs, prefix) {
  const child = fork(path.join(here, 'fleet-bmcs.mjs'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  child.on('message', (message) => {
    waiting.get(message.type)?.(message);
    waiting.delete(message.type);
  });
  const ask = (type, extra = {}) =>
    new Promise((resolve) => {
      waiting.set(type === 'start' ? 'started' : type, resolve);
      child.send({ type, ...extra });
    });
  return {
    pid: child.pid,
    started: ask('start', { count, latencyMs, prefix }).then((message) => message.urls),
    ask,
    stop: () => child.connected && child.disconnect(),
  };
}

async function startConductor(configFile) {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const nodeOptions = values['node-options'].split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...profile, ...nodeOptions, path.join(appDir, 'bin/ironic-conductor.js'), '--config', configFile],
    {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.includes('"conductor started"')) {
          child.stdout.off('data', onData);
          child.stdout.resume(); // keep draining what it logs
          resolve();
          return;
        }
        newline = buffered.indexOf('\n');
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the conductor exited with ${code} before it started`)));
  });
  return child;
}

async function stopProcess(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Samples every 100 ms the CPU time (user, system) of the conductor, of the simulator processes, and the
 * machine's busy and total time (/proc/stat); `between(a, b)` gives each, interpolated, over [a, b].
 */
function sampleCpu(conductorPid, simulatorPids) {
  const samples = [];
  const cpuOf = async (pid) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[11]) / CLK_TCK, Number(fields[12]) / CLK_TCK];
  };
  const take = async () => {
    try {
      const t = performance.timeOrigin + performance.now();
      const [user, system] = await cpuOf(conductorPid);
      let simulators = 0;
      for (const pid of simulatorPids) simulators += (await cpuOf(pid)).reduce((a, b) => a + b, 0);
      const cpuLine = (await readFile('/proc/stat', 'utf8'))
        .split('\n')[0]
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
      const idle = cpuLine[3] + (cpuLine[4] ?? 0);
      const total = cpuLine.slice(0, 8).reduce((a, b) => a + b, 0);
      samples.push([t, [user, system, simulators, (total - idle) / CLK_TCK, total / CLK_TCK]]);
    } catch {
      // a process is gone
    }
  };
  void take();
  const timer = setInterval(take, 100);
  const at = (t) => {
    let before = samples[0];
    for (const sample of samples) {
      if (sample[0] > t) {
        const span = sample[0] - before[0];
        const f = span > 0 ? (t - before[0]) / span : 1;
        return before[1].map((value, i) => value + (sample[1][i] - value) * f);
      }
      before = sample;
    }
    return before[1];
  };
  return {
    stop() {
      clearInterval(timer);
      return {
        between(from, to) {
          const [a, b] = [at(from), at(to)];
          const [user, system, simulators, busy, total] = b.map((value, i) => value - a[i]);
          return { user, system, simulators, machineBusyPercent: total > 0 ? (100 * busy) / total : 0 };
        },
      };
    },
  };
}

async function peakRss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return round(kib / 1024, 1);
}

function loadAverage() {
  return os.loadavg().map((value) => round(value, 2));
}

function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function log(message) {
  process.stderr.write(`${message}\n`);
}

function fail(message) {
  log(`bench/fleet: ${message}`);
  process.exit(2);
}
