import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ConductorStartFailed } from './errors.js';
import { IronicClient } from './ironic-client.js';

/**
 * Variables the conductor reads over its file; the demo keeps them out so the file is what counts (its
 * client speaks plain HTTP without credentials to the address in the file).
 */
const ENV_OVERRIDES_KEPT_OUT = [
  'DATABASE_URL',
  'IRONIC_DATA_DIR',
  'IRONIC_API_HOST',
  'IRONIC_API_PORT',
  'IRONIC_AUTH_STRATEGY',
  'IRONIC_HTTP_BASIC_AUTH_USER_FILE',
  'IRONIC_TLS_CERT_FILE',
  'IRONIC_TLS_KEY_FILE',
  'IRONIC_CONDUCTOR_CONFIG',
];

/** The path of the `ironic-conductor` bin of the installed `@ironic/conductor`. */
export function conductorBinPath(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@ironic/conductor/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = manifest.bin['ironic-conductor'];
  if (!bin) throw new ConductorStartFailed('@ironic/conductor has no "ironic-conductor" bin');
  return join(dirname(manifestPath), bin);
}

/** Options of {@link startConductorProcess}. */
export interface ConductorProcessOptions {
  /** The configuration file, passed as `--config`. */
  readonly configFile: string;
  /** The conductor's working directory: relative paths in the file, and driver packages, resolve from it. */
  readonly cwd: string;
  /**
   * The API root the configuration makes it listen on. With port 0 (the configuration's `api.port: 0`:
   * a port the OS picks, which no other process can take in between) the address is read from the
   * conductor's `conductor started` log line.
   */
  readonly url: string;
  /** Where its logs (stdout and stderr) go. */
  readonly logFile: string;
  /** How long to wait for `GET /healthz`. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** More environment variables for it. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A running `ironic-conductor` child process. */
export interface ConductorProcess {
  readonly url: string;
  readonly pid: number;
  /** Settles when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (the conductor drains and exits), then SIGKILL if it is still there after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns the real `ironic-conductor` bin with `--config` and waits until `GET /healthz` answers. It runs in
 * its own process group, so a Ctrl-C reaches the demo alone, which then stops it first (and the
 * simulators after). Rejects with `ConductorStartFailed`, with its last log lines, if it exits or does not
 * answer in time.
 */
export async function startConductorProcess(options: ConductorProcessOptions): Promise<ConductorProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of ENV_OVERRIDES_KEPT_OUT) delete env[name];
  const child = spawn(process.execPath, [conductorBinPath(), '--config', options.configFile], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const tail: string[] = [];
  const announced = announcedAddress();
  let partial = '';
  const keepTail = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) announced.read(line);
    tail.push(...lines.filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => new Promise<void>((resolve) => log.end(resolve)));
  // A demo that dies without stopping it must not leave a conductor behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const stop = async (timeoutMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return exited;
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let url = options.url;
  try {
    if (new URL(url).port === '0') url = await announced.address(child, timeoutMs, exited);
    await waitForHealth(child, url, timeoutMs, exited);
  } catch (error) {
    await stop(5000);
    const lines = tail.length > 0 ? `\n${tail.join('\n')}` : '';
    throw new ConductorStartFailed(`${(error as Error).message}${lines}`, { cause: error });
  }
  return { url, pid: child.pid ?? -1, exited, stop };
}

/** The address in the conductor's JSON `conductor started` log line, once it has written it. */
function announcedAddress() {
  let found: ((address: string) => void) | undefined;
  const address = new Promise<string>((resolve) => {
    found = resolve;
  });
  return {
    read(line: string): void {
      if (!line.includes('"conductor started"')) return;
      try {
        const entry = JSON.parse(line) as { msg?: unknown; address?: unknown };
        if (entry.msg === 'conductor started' && typeof entry.address === 'string') found?.(entry.address);
      } catch {
        // Not a JSON line (pretty logs): nothing to learn from it.
      }
    },
    async address(
      child: ChildProcess,
      timeoutMs: number,
      exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    ): Promise<string> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the conductor did not log its address within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      });
      const died = exited.then((exit) => {
        throw new Error(
          `the conductor (pid ${child.pid}) exited with ${exit.code ?? exit.signal} before listening`,
        );
      });
      try {
        return await Promise.race([address, late, died]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function waitForHealth(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
): Promise<void> {
  const client = new IronicClient(url, { connections: 1 });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((value) => {
    exit = value;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exit)
        throw new Error(
          `the conductor (pid ${child.pid}) exited with ${exit.code ?? exit.signal} before answering`,
        );
      try {
        await client.health();
        return;
      } catch {
        // Not listening yet (or the database not ready): bounded polling below.
      }
      if (Date.now() > deadline)
        throw new Error(`the conductor did not answer GET ${url}/healthz within ${timeoutMs / 1000} s`);
      await delay(100);
    }
  } finally {
    await client.close();
  }
}
