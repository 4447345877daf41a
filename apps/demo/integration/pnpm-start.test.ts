// The README's "Try it" as a user runs it: `npx -y pnpm@... start -- --keep-running` in a terminal, the
// README's API examples pasted into a shell (the redeploy of ipa-001 among them), then Ctrl-C, which must
// end it all with exit code 0 and no error text.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/free-port.js';
import { blockAfter, README } from './support/readme.js';
import { available, type Job, pnpmCommand, REPO, startJob, userEnvironment } from './support/shell.js';

const DEMO_LOG = join(REPO, 'apps', 'demo', '.data', 'conductor.log');
const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82' };

function haveTools(): boolean {
  const missing = ['bash', 'curl'].filter((tool) => !available(tool));
  if (missing.length === 0) return true;
  if (process.env.CI) throw new Error(`pnpm-start.test.ts needs ${missing.join(' and ')}`);
  process.stderr.write(`pnpm-start.test.ts: skipped: ${missing.join(' and ')} not installed\n`);
  return false;
}

/** The task names of the README's "Try it" summary. */
function readmeTaskNames(readme: string): string[] {
  const summary = readme.slice(readme.indexOf('Summary: '));
  const table = summary.slice(summary.indexOf('Periodic tasks\n'), summary.indexOf('Wall time'));
  return [...table.matchAll(/^ {2}(\S+\.\S+)\s+\d/gm)].map((match) => match[1]!);
}

describe.runIf(haveTools())('pnpm start, as the README runs it', () => {
  let work: string;
  let job: Job | undefined;
  afterAll(async () => {
    if (job?.child.pid !== undefined && job.child.exitCode === null) process.kill(-job.child.pid, 'SIGKILL');
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('keeps running for the API examples, which work as written, then Ctrl-C exits 0 quietly', async () => {
    work = await mkdtemp(join(tmpdir(), 'pnpm-start-'));
    // A previous run's log: the new run starts its own.
    await mkdir(join(REPO, 'apps', 'demo', '.data'), { recursive: true });
    await writeFile(DEMO_LOG, 'a line of an earlier run\n');
    const port = await freePort();
    const command = [
      ...(await pnpmCommand()),
      'start',
      '--',
      '--nodes',
      '6',
      '--keep-running',
      '--api-port',
      String(port),
      '--discoverd-port',
      '0',
      '--data-dir',
      join(work, 'db'),
    ];
    job = startJob(command, REPO, userEnvironment());
    await job.printed('Press Ctrl-C to stop it.');
    const readme = await readFile(README, 'utf8');
    expect(job.output()).toContain('every node ended where it should');
    const ran = [...job.output().matchAll(/^ {2}(\S+\.\S+)\s+\d+\s+\d+\s/gm)].map((match) => match[1]!);
    expect(new Set(ran)).toEqual(new Set(readmeTaskNames(readme)));

    // The README's examples, pasted into bash as they are (only the port differs).
    const examples = blockAfter(readme, '### The API', 'sh').replace(
      'API=http://127.0.0.1:6385',
      `API=http://127.0.0.1:${port}`,
    );
    const shell = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'bash',
        ['-eo', 'pipefail', '-c', examples],
        { env: userEnvironment(), timeout: 240_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(shell.code, shell.output).toBe(0);
    const node = async (name: string) =>
      (await (
        await fetch(`http://127.0.0.1:${port}/v1/nodes/${name}`, { headers: HEADERS })
      ).json()) as Record<string, unknown>;
    const drac = await node('drac-001');
    expect(drac.provision_state).toBe('manageable');
    expect(drac.raid_config).toMatchObject({ logical_disks: [expect.objectContaining({ raid_level: '1' })] });
    const ipa = await node('ipa-001');
    expect(ipa).toMatchObject({ provision_state: 'active', last_error: null });
    expect(ipa.instance_info).toMatchObject({ image_source: expect.stringContaining('ubuntu-24.04') });
    expect((await node('rack1-node7')).provision_state).toBe('enroll');

    const log = await readFile(DEMO_LOG, 'utf8');
    expect(log).not.toContain('a line of an earlier run');
    expect(log.match(/"msg":"conductor started"/g)).toHaveLength(1);

    job.interrupt();
    expect(await job.exited).toBe(0);
    const output = job.output();
    expect(output).toContain('Stopping the conductor (SIGTERM)');
    for (const failure of ['ELIFECYCLE', 'ERR_PNPM', 'Command failed', 'again: exiting without waiting']) {
      expect(output).not.toContain(failure);
    }
  });
});
