import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ENV_OVERRIDES } from '../../../src/config/load-config.js';
import type { ConductorConfigInput } from '../../../src/config/schema.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The built CLI the processes run (build the package before testing). */
export const CLI = join(here, '../../../dist/cli.js');
/** The driver package the cluster tests enable, loaded by name from the working directory. */
export const VISIT_RECORDER = '@example/visit-recorder';
const VISIT_RECORDER_DIR = join(here, '../../fixtures/visit-recorder');

/** A conductor running as its own process. */
export interface ConductorProcess {
  readonly id: string;
  readonly child: ChildProcess;
  /** `http://127.0.0.1:port` of its API. */
  readonly address: string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Its log lines so far (JSON). */
  readonly logs: string[];
}

/**
 * A working directory whose `node_modules` holds the visit-recorder fixture, as an operator's project
 * would hold a driver package: the conductor finds it by name there (see `importPackage`).
 */
export async function createWorkDir(): Promise<string> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build @ironic/conductor before these tests`);
  const dir = await mkdtemp(join(tmpdir(), 'conductor-cluster-'));
  await mkdir(join(dir, 'node_modules/@example'), { recursive: true });
  await symlink(VISIT_RECORDER_DIR, join(dir, 'node_modules', VISIT_RECORDER), 'dir');
  return dir;
}

/** Removes a working directory. */
export async function removeWorkDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** How long a conductor may take to start before the test fails: only a hang, however busy the machine. */
const READY_DEADLINE_MS = 120_000;

/** Spawns `ironic-conductor --config <file>` in `workDir` and waits for its "conductor started" line. */
export async function startConductorProcess(
  workDir: string,
  id: string,
  config: ConductorConfigInput,
  readyTimeoutMs = READY_DEADLINE_MS,
): Promise<ConductorProcess> {
  const configPath = join(workDir, `${id}.json`);
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const env = { ...process.env };
  // The file alone configures the process; the test runner's environment must not override it.
  for (const variable of Object.keys(ENV_OVERRIDES)) delete env[variable];
  delete env.IRONIC_CONDUCTOR_CONFIG;
  const child = spawn(process.execPath, [CLI, '--config', configPath], {
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`conductor ${id} did not start within ${readyTimeoutMs} ms: ${stderr.join('')}`));
    }, readyTimeoutMs);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      logs.push(line);
      const entry = parseLine(line);
      if (entry?.msg === 'conductor started' && typeof entry.address === 'string') {
        clearTimeout(timer);
        resolve(entry.address);
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`conductor ${id} exited (${code}) before starting: ${stderr.join('')}`));
    });
  });
  return { id, child, address, exited, logs };
}

/** Kills a process with SIGKILL if it still runs, and waits for it to end. */
export async function killProcess(conductor: ConductorProcess): Promise<void> {
  if (conductor.child.exitCode === null && conductor.child.signalCode === null) {
    conductor.child.kill('SIGKILL');
  }
  await conductor.exited;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
