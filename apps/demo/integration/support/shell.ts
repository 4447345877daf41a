import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** The repository's root, where `pnpm start` runs. */
export const REPO = new URL('../../../../', import.meta.url).pathname;

/** `npx -y pnpm@<the pinned version>`, as the README says to run it. */
export async function pnpmCommand(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(new URL('package.json', `file://${REPO}`), 'utf8')) as {
    packageManager: string;
  };
  return ['npx', '-y', manifest.packageManager];
}

/** The environment of a user's shell: this process's, without what npm and pnpm set for their scripts. */
export function userEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(npm_|PNPM_|TURBO_|VITEST|NODE_OPTIONS$)/i.test(entry[0]),
    ),
  );
}

/** Whether a command runs here. */
export function available(command: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A command in its own process group, as a terminal's foreground job: Ctrl-C reaches all of it. */
export interface Job {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
  /** Resolves once `text` was printed; rejects if the job ends first. */
  printed(text: string): Promise<void>;
  /** What a terminal does on Ctrl-C: SIGINT to every process of the job. */
  interrupt(): void;
}

export function startJob(command: readonly string[], cwd: string, env: Record<string, string>): Job {
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const waiter of waiters) waiter();
  });
  return {
    child,
    output: () => text,
    exited,
    printed: (wanted) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (text.includes(wanted)) {
            waiters.delete(check);
            resolve();
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`${command.join(' ')} ended before printing "${wanted}":\n${text}`));
          }
        };
        waiters.add(check);
        check();
      }),
    interrupt: () => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    },
  };
}
