import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConductorProcess, startConductorProcess } from './conductor-process.js';
import { effectiveConfigFile, portOf, prepareDataDir, readDemoConfig } from './demo-config.js';
import { DemoError } from './errors.js';
import { planFleet } from './fleet-plan.js';
import { IronicClient } from './ironic-client.js';
import { NodeBoard } from './node-board.js';
import { type FlowResult, runNodeFlow } from './node-flow.js';
import { DemoProgress } from './progress.js';
import { type FleetTimings, type SimulatedFleet, startSimulatedFleet } from './simulated-fleet.js';
import { type DemoSummary, judgeNodes, renderSummary } from './summary.js';
import { LiveView, type Output, PlainView, type ProgressView } from './views.js';

/** The demo package's directory: the conductor runs there, so the driver packages resolve from it. */
export const DEMO_PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The conductor configuration the demo runs with (the README's deployment section shows it). */
export const DEMO_CONFIG_FILE = join(DEMO_PACKAGE_DIR, 'config', 'conductor.json');

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Fleet size. Default 100. */
  readonly nodes?: number;
  /** Within each kind, the 2nd node and every n-th after it are told to fail; 0: none. Default 16. */
  readonly failEvery?: number;
  /** Leave the conductor and simulators up after the summary until `signal` aborts (forever without one). */
  readonly keepRunning?: boolean;
  /** The conductor configuration file. Default {@link DEMO_CONFIG_FILE}. */
  readonly configFile?: string;
  /** Replace the file's API port (0: a port the OS picks, read back once the conductor listens). */
  readonly apiPort?: number;
  /** Replace the port of discoverd's URL (0: a free one). */
  readonly discoverdPort?: number;
  /** Replace `database.data_dir`. */
  readonly dataDir?: string;
  /** Where the conductor's log and any derived configuration go. Default `<demo>/.data`. */
  readonly workDir?: string;
  /** How long one phase of one node may take. Default 120 s. */
  readonly phaseTimeoutMs?: number;
  /** `live`: the redrawn terminal block; `plain`: log lines. Default `plain`. */
  readonly view?: 'live' | 'plain';
  /** Where the view and the summary are written. Default `process.stdout`. */
  readonly out?: Output;
  /** Aborting it (Ctrl-C) stops the run, or ends `keepRunning`, and shuts everything down. */
  readonly signal?: AbortSignal;
  /** Simulated hardware timings. */
  readonly timings?: FleetTimings;
}

/** How a run ended. */
export interface DemoResult {
  readonly summary: DemoSummary;
  /** The conductor's API root. */
  readonly conductorUrl: string;
  /** The conductor's log file. */
  readonly logFile: string;
  /** True when the run was interrupted before every node was through. */
  readonly interrupted: boolean;
  /** How each node's phases went. */
  readonly flows: readonly FlowResult[];
}

/**
 * The whole demo: starts the simulators at the ports the configuration names, the real `ironic-conductor`
 * process with that configuration, then takes every node through its phases over the HTTP API while the
 * view shows it, and checks where each node ended. Everything it started is stopped before it resolves:
 * the conductor first (SIGTERM, it drains), then the simulators.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const workDir = options.workDir ?? join(DEMO_PACKAGE_DIR, '.data');
  const config = await readDemoConfig(options.configFile ?? DEMO_CONFIG_FILE);
  const plan = planFleet({ nodes: options.nodes ?? 100, failEvery: options.failEvery ?? 16 });
  const apiPort = options.apiPort ?? config.apiPort;
  // Port 0: the conductor listens on a port the OS picks, known once it has started.
  let conductorUrl = `http://${config.apiHost}:${apiPort}`;
  const dataDir = options.dataDir ?? config.dataDir;
  const logFile = join(workDir, 'conductor.log');
  await mkdir(workDir, { recursive: true });
  // Each run starts from an empty database: its log starts empty too.
  await rm(logFile, { force: true });
  await prepareDataDir(dataDir, DEMO_PACKAGE_DIR);

  let fleet: SimulatedFleet | undefined;
  let conductor: ConductorProcess | undefined;
  let client: IronicClient | undefined;
  let board: NodeBoard | undefined;
  let view: ProgressView | undefined;
  let taskPoll: NodeJS.Timeout | undefined;
  const stopOnAbort = () => void board?.stop();
  options.signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    const discoverdPort = options.discoverdPort ?? portOf(config.discoverdUrl);
    fleet = await startSimulatedFleet(plan, {
      discoverdPort,
      ...(apiPort === 0 ? {} : { ironicUrl: conductorUrl }),
      ...(options.timings ? { timings: options.timings } : {}),
    }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
      throw new DemoError(
        `discoverd's port ${discoverdPort} (from discoverd_url in ${config.file}) is in use: free it, or pass --discoverd-port`,
        { cause: error },
      );
    });
    const configFile = await effectiveConfigFile(
      config,
      { apiPort, discoverdUrl: fleet.discoverd.url, dataDir },
      workDir,
    );
    out.write(`Starting ironic-conductor --config ${configFile} (logs: ${logFile})\n`);
    conductor = await startConductorProcess({
      configFile,
      cwd: DEMO_PACKAGE_DIR,
      url: conductorUrl,
      logFile,
    });
    conductorUrl = conductor.url;
    fleet.setIronicUrl(conductorUrl);

    const startedAt = Date.now();
    const progress = new DemoProgress(plan, startedAt);
    const ours = new Set(plan.map((node) => node.uuid));
    const apiClient = new IronicClient(conductorUrl, { connections: 16 });
    client = apiClient;
    const nodeBoard = new NodeBoard(apiClient, {
      onSnapshot: (nodes) => progress.setNodes(nodes.filter((node) => ours.has(node.uuid))),
    });
    board = nodeBoard;
    const pollTasks = () =>
      apiClient.periodicTasks().then(
        (tasks) => progress.setTasks(tasks),
        () => undefined, // the next poll tries again; the summary reads them once more
      );
    taskPoll = setInterval(pollTasks, 1000);
    const title = `Ironic demo: ${plan.length} nodes (${countKinds(plan)}) on the conductor at ${conductorUrl}`;
    const progressView: ProgressView =
      options.view === 'live' ? new LiveView(progress, out, title) : new PlainView(progress, out, title);
    view = progressView;
    nodeBoard.start();
    await pollTasks();
    progressView.start();

    const flows = await Promise.all(
      plan.map((node) =>
        runNodeFlow(node, {
          client: apiClient,
          board: nodeBoard,
          enrollment: fleet!.enrollment(node),
          phaseTimeoutMs: options.phaseTimeoutMs ?? 120_000,
          ...(options.signal ? { signal: options.signal } : {}),
          onPhase: (event) => {
            progress.record(event);
            progressView.phaseEvent(event);
          },
        }),
      ),
    );
    const interrupted = options.signal?.aborted ?? false;
    const finalNodes = (await apiClient.listNodes()).filter((node) => ours.has(node.uuid));
    progress.setNodes(finalNodes);
    await pollTasks();
    clearInterval(taskPoll);
    progressView.stop();
    view = undefined;
    const summary: DemoSummary = {
      verdicts: judgeNodes(plan, finalNodes),
      tasks: progress.tasks,
      wallTimeMs: Date.now() - startedAt,
      ok: false,
      interrupted,
    };
    const ok = !interrupted && summary.verdicts.every((verdict) => verdict.ok);
    const result = { ...summary, ok };
    out.write(`${renderSummary(result, Date.now()).join('\n')}\n`);
    if (interrupted) out.write('\nInterrupted: not every node went through its phases.\n');

    if (options.keepRunning && !interrupted) {
      out.write(
        `\nThe conductor keeps running at ${conductorUrl} (logs: ${logFile}). Try:\n` +
          `  curl -s ${conductorUrl}/v1/nodes/detail -H 'X-OpenStack-Ironic-API-Version: 1.82'\n` +
          `  curl -s ${conductorUrl}/v1/periodic-tasks\n` +
          `  curl -s ${conductorUrl}/metrics\n` +
          'Press Ctrl-C to stop it.\n',
      );
      await untilAborted(options.signal);
    }
    return { summary: result, conductorUrl, logFile, interrupted, flows };
  } finally {
    options.signal?.removeEventListener('abort', stopOnAbort);
    clearInterval(taskPoll);
    view?.stop();
    await board?.stop();
    await client?.close();
    if (conductor) {
      out.write('Stopping the conductor (SIGTERM)...\n');
      await conductor.stop();
    }
    await fleet?.close();
  }
}

function countKinds(plan: ReturnType<typeof planFleet>): string {
  const counts = new Map<string, number>();
  for (const node of plan) counts.set(node.kind, (counts.get(node.kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ');
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
