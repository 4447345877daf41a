// The `ironic-demo` bin as `pnpm start` runs it: a small fleet, --keep-running, then Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function runCli(args: string[], onStdout?: (text: string) => void) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    onStdout?.(stdout);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('ironic-demo (the bin)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('runs a small fleet, keeps the conductor up, and shuts everything down on SIGINT', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'ironic-demo-cli-'));
    dirs.push(workDir);
    let sawKeepRunning: () => void = () => undefined;
    const keptRunning = new Promise<void>((resolve) => {
      sawKeepRunning = resolve;
    });
    const run = runCli(
      [
        '--nodes',
        '3',
        '--keep-running',
        '--api-port',
        '0',
        '--discoverd-port',
        '0',
        '--data-dir',
        join(workDir, 'db'),
      ],
      (stdout) => {
        if (stdout.includes('Press Ctrl-C')) sawKeepRunning();
      },
    );
    await Promise.race([keptRunning, run.exited.then(() => Promise.reject(new Error(run.output().stderr)))]);

    const url = /keeps running at (http:\/\/\S+) /.exec(run.output().stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // Ctrl-C under `npx pnpm start`: the terminal's SIGINT, then the copies npm and pnpm relay.
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output().stderr).not.toContain('again: exiting without waiting');
    const { stdout } = run.output();
    expect(stdout).toContain('every node ended where it should');
    expect(stdout).toMatch(/\[\s*\d+\.\d s\] enroll: started/); // plain lines: stdout is a pipe
    expect(stdout).not.toContain('\x1b[');
    expect(stdout).toContain('Stopping the conductor (SIGTERM)');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('names a bad option and exits 2', async () => {
    const run = runCli(['--nodes', 'many']);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain(
      'Invalid demo option --nodes: expected an integer from 1 to 5000, got "many"',
    );
  });

  it('prints its usage with --help', async () => {
    const run = runCli(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('Usage: ironic-demo [options]');
  });
});
