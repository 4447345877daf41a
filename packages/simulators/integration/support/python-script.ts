import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A line the script printed: one JSON object. */
export type ScriptEvent = Record<string, unknown> & { readonly event: string };

/**
 * A Python script run as a child process that prints one JSON object per line on stdout and reads
 * one word per line on stdin: the test waits for its events and answers when it asks.
 */
export class PythonScript {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #events: ScriptEvent[] = [];
  readonly #waiters: Array<() => void> = [];
  #stderr = '';
  #exit: Promise<number | null>;

  constructor(python: string, script: string, args: readonly string[]) {
    const path = fileURLToPath(new URL(`../python/${script}`, import.meta.url));
    this.#child = spawn(python, [path, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffered = '';
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) this.#events.push(JSON.parse(line) as ScriptEvent);
        for (const wake of this.#waiters.splice(0)) wake();
      }
    });
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    this.#exit = new Promise((resolve) => {
      this.#child.on('close', (code) => {
        for (const wake of this.#waiters.splice(0)) wake();
        resolve(code);
      });
    });
  }

  /** Everything the script wrote on stderr (its tracebacks). */
  get stderr(): string {
    return this.#stderr;
  }

  /** The next event named `name` (events before it are skipped); rejects if the script ends first. */
  async next(name: string): Promise<ScriptEvent> {
    for (;;) {
      const index = this.#events.findIndex((event) => event.event === name);
      if (index >= 0) return this.#events.splice(0, index + 1)[index] as ScriptEvent;
      if (this.#child.exitCode !== null) {
        throw new Error(`the script ended (${this.#child.exitCode}) before "${name}":\n${this.#stderr}`);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Sends one word to the script's stdin. */
  send(word: string): void {
    this.#child.stdin.write(`${word}\n`);
  }

  /** Waits for the script to end; rejects with its stderr unless it exits 0. */
  async done(): Promise<void> {
    const code = await this.#exit;
    if (code !== 0) throw new Error(`the script exited with ${code}:\n${this.#stderr}`);
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}
