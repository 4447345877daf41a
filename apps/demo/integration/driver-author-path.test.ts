// "Writing a driver package", followed as written by someone with an empty folder and npm: the README's
// files, `npm install` from the npm registry, `npm run build`, `npm test`, then a conductor installed
// with npm that enables the driver by package name. The @ironic packages are not on the registry from
// here: they are packed from this repository (`pnpm pack`) and installed from the tarballs, the only
// departure from the README.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/free-port.js';
import { blockAfter, README } from './support/readme.js';
import { type Job, pnpmCommand, REPO, startJob, userEnvironment } from './support/shell.js';

function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { cwd, env: userEnvironment(), timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('the driver-author path of the README, in an empty folder', () => {
  let work: string;
  let tarballs: Record<string, string>;
  let project: string;
  let conductor: Job | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'driver-author-path-'));
    const packed = join(work, 'tarballs');
    await mkdir(packed);
    const pnpm = await pnpmCommand();
    for (const dir of [
      'packages/driver-base',
      'packages/periodic-core',
      'packages/driver-ipa',
      'packages/redfish',
      'packages/driver-fake',
      'apps/conductor',
    ]) {
      const result = await run(
        pnpm[0]!,
        [...pnpm.slice(1), 'pack', '--pack-destination', packed],
        join(REPO, dir),
      );
      expect(result.code, result.output).toBe(0);
    }
    const files = await readdir(packed);
    const tarball = (name: string) => join(packed, files.find((file) => file.startsWith(`ironic-${name}-`))!);
    tarballs = {
      '@ironic/driver-base': tarball('driver-base'),
      '@ironic/periodic-core': tarball('periodic-core'),
      '@ironic/driver-ipa': tarball('driver-ipa'),
      '@ironic/redfish': tarball('redfish'),
      '@ironic/driver-fake': tarball('driver-fake'),
      '@ironic/conductor': tarball('conductor'),
    };
  }, 600_000);

  afterAll(async () => {
    if (conductor?.child.pid !== undefined && conductor.child.exitCode === null) {
      try {
        process.kill(-conductor.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('builds and passes its own tests with the files and versions the README shows', async () => {
    const readme = await readFile(README, 'utf8');
    project = join(work, 'ironic-driver-hello');
    await mkdir(join(project, 'src'), { recursive: true });
    await mkdir(join(project, 'test'), { recursive: true });
    const manifest = JSON.parse(blockAfter(readme, '### The package', 'json')) as {
      devDependencies: Record<string, string>;
    };
    for (const name of ['@ironic/driver-base', '@ironic/periodic-core']) {
      expect(manifest.devDependencies[name]).toBeDefined();
      manifest.devDependencies[name] = `file:${tarballs[name]}`;
    }
    await writeFile(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    await writeFile(join(project, 'tsconfig.json'), blockAfter(readme, '`tsconfig.json`:', 'json'));
    await writeFile(join(project, 'vitest.config.ts'), blockAfter(readme, '`vitest.config.ts`:', 'ts'));
    await writeFile(
      join(project, 'src', 'index.ts'),
      blockAfter(readme, '### The driver: `src/index.ts`', 'ts'),
    );
    await writeFile(
      join(project, 'test', 'hello-driver.test.ts'),
      blockAfter(readme, '### Testing it with the testing kit', 'ts'),
    );

    const install = await run('npm', ['install', '--no-audit', '--no-fund'], project);
    expect(install.code, install.output).toBe(0);
    const vite = JSON.parse(await readFile(join(project, 'node_modules', 'vite', 'package.json'), 'utf8'));
    expect(vite.version).toMatch(/^7\./);
    const typescript = JSON.parse(
      await readFile(join(project, 'node_modules', 'typescript', 'package.json'), 'utf8'),
    );
    expect(typescript.version).toMatch(/^5\.9\./);

    const build = await run('npm', ['run', 'build'], project);
    expect(build.code, build.output).toBe(0);
    expect((await readdir(join(project, 'dist'))).sort()).toEqual(
      expect.arrayContaining(['index.d.ts', 'index.js']),
    );

    const test = await run('npm', ['test'], project);
    expect(test.code, test.output).toBe(0);
    expect(stripVTControlCharacters(test.output)).toMatch(/Tests\s+3 passed/);
  });

  it('is loaded by name by a conductor installed with npm, which runs its periodic tasks', async () => {
    const readme = await readFile(README, 'utf8');
    const site = join(work, 'conductor');
    await mkdir(site);
    // `npm install @ironic/conductor @ironic/driver-ipa ...` then `npm install ironic-driver-hello`.
    const install = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', ...Object.values(tarballs), project, '--install-links'],
      site,
    );
    expect(install.code, install.output).toBe(0);
    const port = await freePort();
    const config = JSON.parse(blockAfter(readme, '### Enabling it in the conductor', 'json')) as Record<
      string,
      object
    >;
    await writeFile(
      join(site, 'conductor.json'),
      JSON.stringify({ ...config, api: { port }, database: { data_dir: 'memory://' } }),
    );
    conductor = startJob(['npx', 'ironic-conductor', '--config', 'conductor.json'], site, userEnvironment());
    await conductor.printed('"msg":"conductor started"');
    const api = `http://127.0.0.1:${port}`;
    const drivers = (await (await fetch(`${api}/v1/drivers`)).json()) as { drivers: { name: string }[] };
    expect(drivers.drivers.map((driver) => driver.name).sort()).toEqual(['hello', 'ipa']);
    const { periodic_tasks: list } = (await (await fetch(`${api}/v1/periodic-tasks`)).json()) as {
      periodic_tasks: { name: string; runs: number; spacing: number }[];
    };
    const byName = new Map(list.map((task) => [task.name, task]));
    expect(byName.get('HelloInspect.sayHello')?.runs).toBeGreaterThanOrEqual(1);
    expect(byName.get('HelloInspect.finishInspections')?.spacing).toBe(10); // seconds, as the API shows every duration
    // Ctrl-C: the conductor drains and stops (npx's own shell dies of the SIGINT, as with any npx command).
    conductor.interrupt();
    await conductor.exited;
    expect(conductor.output()).toContain('"msg":"conductor stopped"');
  });
});
