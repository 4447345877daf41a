import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A process a test started, with everything it printed. */
export interface Spawned {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  readonly exited: Promise<Exit>;
  /** Resolves with the first line matching `pattern` (already printed or to come); rejects if it exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves when it exited (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

/** Options of {@link spawnCommand}. */
export interface SpawnOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Run as this user and group (only when the tests run as root). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Starts a command; its output is kept, and lines are matched as they come (no polling). */
export function spawnCommand(command: string, args: readonly string[], options: SpawnOptions): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
    child.once('error', (error) => {
      text += `\n(spawn failed: ${error.message})\n`;
      resolve({ code: -1, signal: null });
    });
  });
  let done: Exit | undefined;
  void exited.then((exit) => {
    done = exit;
  });

  const waitFor = (pattern: RegExp, timeoutMs = 120_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = text.split('\n').find((candidate) => pattern.test(candidate));
        if (line !== undefined) finish(() => resolve(line));
        else if (done)
          finish(() =>
            reject(
              new Error(
                `${command} exited (${done?.code ?? done?.signal}) before printing ${pattern}:\n${text}`,
              ),
            ),
          );
      };
      // A deadline only turns a hang into a failure with the output so far.
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`no ${pattern} from ${command} within ${timeoutMs / 1000} s:\n${text}`)),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000) => {
    if (done) return done;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return { child, output: () => text, exited, waitFor, stop };
}

/** Runs a command to its end: its exit code and output. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): Promise<{ code: number | null; output: string }> {
  const spawned = spawnCommand(command, args, options);
  const exit = await spawned.exited;
  return { code: exit.code, output: spawned.output() };
}

/**
 * The environment of a machine with Node.js and nothing else: PATH holds only a folder with `node`
 * (and the system's `/usr/bin/env`, which the scripts' `#!/usr/bin/env node` lines use, is all they need).
 */
export async function nodeOnlyEnvironment(home: string): Promise<Record<string, string>> {
  const bin = join(home, 'node-only-bin');
  await mkdir(bin, { recursive: true });
  await symlink(process.execPath, join(bin, 'node')).catch(() => undefined);
  return { PATH: bin, HOME: home, LANG: 'C.UTF-8' };
}

/** A port free on 127.0.0.1 right now, for a process whose other commands must know it in advance. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
