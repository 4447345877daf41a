// The deployment bundle, as an operator gets it: built by `pnpm bundle`, copied to an empty folder laid
// out like the target machine (/opt, /etc, /var/lib), the original deleted, then run with nothing but
// Node.js on PATH: its commands, the systemd unit's ExecStart (and systemd-analyze verify), and the
// Dockerfile's ENTRYPOINT and HEALTHCHECK with the Dockerfile's environment, as the unprivileged user.
import { execFileSync } from 'node:child_process';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { type RedfishFleet, startRedfishFleet } from '@ironic/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IRONIC_HEADERS, waitForProvisionState } from './support/api.js';
import { buildBundle } from './support/bundle.js';
import {
  freePort,
  nodeOnlyEnvironment,
  runCommand,
  type Spawned,
  spawnCommand,
} from './support/processes.js';
import { parseDockerfile, parseUnit } from './support/recipes.js';

const INSTALL_DIR = '/opt/ironic-conductor';
const V = IRONIC_HEADERS;
/** The unprivileged user the image and the unit run as (the `node` user of the Node images is 1000). */
const SERVICE_UID = 1000;
const asRoot = process.getuid?.() === 0;

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the deployment bundle, copied to a machine with only Node.js', () => {
  let work: string;
  let machine: string;
  let bundle: string;
  let env: Record<string, string>;
  let bmcs: RedfishFleet;
  const running: Spawned[] = [];

  /** A path the recipes name (/opt, /etc, /var/lib), on the emulated machine. */
  const onMachine = (path: string) => join(machine, path);
  /** Each absolute path the recipes name, moved onto the emulated machine. */
  const reroot = (value: string) =>
    value.replace(
      /(^|[\s=])(\/(?:opt|etc|var)\/[^\s]*)/g,
      (_all, lead: string, path: string) => `${lead}${onMachine(path)}`,
    );
  const owner = asRoot ? { uid: SERVICE_UID, gid: SERVICE_UID } : {};

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'conductor-bundle-'));
    // An unprivileged service user must be able to reach the machine's folders.
    await chmod(work, 0o755);
    const built = join(work, 'built', 'ironic-conductor');
    await buildBundle(built);
    machine = join(work, 'machine');
    bundle = onMachine(INSTALL_DIR);
    await mkdir(dirname(bundle), { recursive: true });
    execFileSync('cp', ['-a', built, bundle]);
    await rm(join(work, 'built'), { recursive: true, force: true });
    env = await nodeOnlyEnvironment(join(work, 'home'));
    await chmod(join(work, 'home'), 0o755);
    bmcs = await startRedfishFleet();
  }, 600_000);

  afterAll(async () => {
    for (const process of running) await process.stop('SIGKILL');
    await bmcs?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds everything it runs with: no link leaves the folder', async () => {
    const outside: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isSymbolicLink()) {
          const target = resolve(dirname(path), await readlink(path));
          if (relative(bundle, target).startsWith('..')) outside.push(`${path} -> ${target}`);
        } else if (entry.isDirectory()) await walk(path);
      }
    };
    await walk(bundle);
    expect(outside).toEqual([]);
    const manifest = JSON.parse(await readFile(join(bundle, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@ironic/conductor',
      '@ironic/driver-base',
      '@ironic/driver-discoverd',
      '@ironic/driver-drac',
      '@ironic/driver-fake',
      '@ironic/driver-ipa',
      '@ironic/periodic-core',
      '@ironic/redfish',
    ]);
    for (const spec of Object.values(manifest.dependencies)) expect(spec).toMatch(/^file:vendor\/.+\.tgz$/);
    expect((await lstat(join(bundle, 'bin', 'ironic-conductor'))).mode & 0o111).not.toBe(0);
    const version = await runCommand(join(bundle, 'bin', 'ironic-conductor'), ['--version'], {
      cwd: work,
      env,
    });
    expect(version).toEqual({
      code: 0,
      output: `${JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).version}\n`,
    });
  });

  it("runs the systemd unit's command as its user: db upgrade, then the conductor, driven over the API", async () => {
    const unit = parseUnit(await readFile(join(bundle, 'ironic-conductor.service'), 'utf8'));
    const [execStart] = unit.get('Service.ExecStart')!;
    const [workingDirectory] = unit.get('Service.WorkingDirectory')!;
    const [stateDirectory] = unit.get('Service.StateDirectory')!;
    const unitEnv = Object.fromEntries(
      (unit.get('Service.Environment') ?? []).map((pair) => pair.split('=') as [string, string]),
    );
    // What the unit's header says to do: the configuration in /etc/ironic-conductor.
    const config = JSON.parse(await readFile(join(bundle, 'conductor.json'), 'utf8'));
    const port = await freePort();
    config.api.port = port;
    config.database.data_dir = reroot(config.database.data_dir);
    await mkdir(onMachine('/etc/ironic-conductor'), { recursive: true });
    await writeFile(onMachine('/etc/ironic-conductor/conductor.json'), JSON.stringify(config));
    // What systemd does for StateDirectory=: /var/lib/<name>, owned by the service's user.
    const state = onMachine(`/var/lib/${stateDirectory}`);
    await mkdir(state, { recursive: true });
    if (asRoot) await chown(state, SERVICE_UID, SERVICE_UID);
    expect(reroot(workingDirectory!)).toBe(state);

    const [command, ...args] = reroot(execStart!).split(/\s+/);
    const options = { cwd: state, env: { ...env, ...unitEnv }, ...owner };
    const upgrade = await runCommand(command!, ['db', 'upgrade', ...args], options);
    expect(upgrade.output).toMatch(/^applied: {2}0001-initial, /m);
    expect(upgrade.output).toMatch(/^status: {3}up to date$/m);
    expect(upgrade.code).toBe(0);

    const conductor = spawnCommand(command!, args, options);
    running.push(conductor);
    await conductor.waitFor(/"msg":"conductor started"/);
    const api = `http://127.0.0.1:${port}`;
    const drivers = (await (await fetch(`${api}/v1/drivers`, { headers: V })).json()) as {
      drivers: { name: string }[];
    };
    expect(drivers.drivers.map((driver) => driver.name).sort()).toEqual(['discoverd', 'drac', 'ipa']);

    const bmc = await bmcs.addBmc({ id: 'bundle-node' });
    const created = await fetch(`${api}/v1/nodes`, {
      method: 'POST',
      headers: V,
      body: JSON.stringify({
        name: 'bundle-node',
        driver: 'drac',
        driver_info: {
          redfish_address: bmc.url,
          redfish_username: bmc.username,
          redfish_password: bmc.password,
        },
      }),
    });
    expect(created.status).toBe(201);
    const manage = await fetch(`${api}/v1/nodes/bundle-node/states/provision`, {
      method: 'PUT',
      headers: V,
      body: JSON.stringify({ target: 'manage' }),
    });
    expect(manage.status).toBe(202);
    const node = await waitForProvisionState(api, 'bundle-node', 'manageable');
    expect(node).toMatchObject({
      provision_state: 'manageable',
      power_state: bmc.powerState === 'On' ? 'power on' : 'power off',
    });

    // KillSignal=SIGTERM: the conductor drains and exits 0.
    expect(unit.get('Service.KillSignal')).toEqual(['SIGTERM']);
    expect(await conductor.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const version = await runCommand(command!, ['db', 'version', ...args], options);
    expect(version.output).toMatch(/^schema: {3}\d{4}-/m);
  });

  it('runs as the Dockerfile says: its user, environment, ENTRYPOINT and HEALTHCHECK, over the bundle it copies', async () => {
    const recipe = parseDockerfile(await readFile(join(bundle, 'Dockerfile'), 'utf8'));
    expect(recipe.from).toMatch(/^node:20(\.|-|$)/);
    // Built from the bundle alone: everything is copied, nothing installed or fetched while building.
    expect(recipe.copies[0]).toEqual(['.', `${INSTALL_DIR}/`]);
    expect(recipe.runs.join('\n')).not.toMatch(/\b(npm|pnpm|yarn|curl|wget|apt-get)\b/);
    expect(recipe.user).toBeDefined();
    expect(['root', '0']).not.toContain(recipe.user);
    expect(recipe.expose).toEqual(['6385']);
    expect(recipe.stopSignal).toBe('SIGTERM');
    expect(recipe.healthcheck).toEqual([`${INSTALL_DIR}/bin/ironic-conductor`, 'healthcheck']);

    // The build's other steps: COPY conductor.json to /etc, and the RUN that makes the state folder the user's.
    for (const [source, destination] of recipe.copies.slice(1)) {
      await mkdir(dirname(onMachine(destination)), { recursive: true });
      await cp(join(bundle, source), onMachine(destination));
    }
    expect(recipe.runs).toEqual([
      'mkdir -p /var/lib/ironic-conductor && chown node:node /var/lib/ironic-conductor',
    ]);
    await rm(onMachine('/var/lib/ironic-conductor'), { recursive: true, force: true });
    await mkdir(onMachine('/var/lib/ironic-conductor'), { recursive: true });
    if (asRoot) await chown(onMachine('/var/lib/ironic-conductor'), SERVICE_UID, SERVICE_UID);

    const port = await freePort(); // what `docker run -p` maps to 6385; -e IRONIC_API_PORT stands for it here
    const containerEnv = {
      ...env,
      ...Object.fromEntries(Object.entries(recipe.env).map(([key, value]) => [key, reroot(value)])),
      IRONIC_API_PORT: String(port),
    };
    const options = { cwd: onMachine(recipe.workdir!), env: containerEnv, ...owner };
    const [entrypoint, ...entryArgs] = recipe.entrypoint.map(reroot);
    const [check, ...checkArgs] = recipe.healthcheck!.map(reroot);

    const container = spawnCommand(entrypoint!, [...entryArgs, ...recipe.cmd], options);
    running.push(container);
    await container.waitFor(/"msg":"conductor started"/);
    // It listens on every interface (IRONIC_API_HOST=0.0.0.0) with noauth, and says so.
    expect(container.output()).toMatch(/"level":40,.*without authentication/);
    expect((await fetch(`http://127.0.0.1:${port}/v1`)).status).toBe(200);
    expect(await runCommand(check!, checkArgs, options)).toEqual({ code: 0, output: '' });

    expect(await container.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const unhealthy = await runCommand(check!, checkArgs, options);
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.output).toMatch(/healthz: connect ECONNREFUSED/);

    // `docker run <image> db version`: the arguments go to the ENTRYPOINT.
    const version = await runCommand(entrypoint!, [...entryArgs, 'db', 'version'], options);
    expect(version.output).toMatch(/^database: pglite .*\/var\/lib\/ironic-conductor\/db$/m);
    expect(version.output).toMatch(/^status: {3}up to date$/m);
  });

  it.skipIf(!hasSystemdAnalyze())(
    'passes systemd-analyze verify with the bundle at the paths the unit names',
    async () => {
      await mkdir(onMachine('/etc/systemd/system'), { recursive: true });
      await cp(
        join(bundle, 'ironic-conductor.service'),
        onMachine('/etc/systemd/system/ironic-conductor.service'),
      );
      // The machine's own units (sysinit.target and the rest), which `--root` looks for in the root.
      await cp('/usr/lib/systemd/system', onMachine('/usr/lib/systemd/system'), { recursive: true });
      const verify = (root: string) =>
        runCommand(
          'systemd-analyze',
          ['verify', '--man=no', `--root=${root}`, '/etc/systemd/system/ironic-conductor.service'],
          {
            cwd: work,
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
          },
        );
      expect(await verify(machine)).toEqual({ code: 0, output: '' });
      // The check can fail: without the bundle at /opt/ironic-conductor, ExecStart names nothing.
      const empty = join(work, 'empty-machine');
      await cp(onMachine('/etc'), join(empty, 'etc'), { recursive: true });
      await cp(onMachine('/usr'), join(empty, 'usr'), { recursive: true });
      const broken = await verify(empty);
      expect(broken.code).not.toBe(0);
      expect(broken.output).toContain('/opt/ironic-conductor/bin/ironic-conductor');
    },
  );
});

if (!hasSystemdAnalyze()) {
  if (process.env.CI)
    throw new Error('systemd-analyze is not installed (Debian package systemd): CI needs it');
  process.stderr.write('bundle.test.ts: systemd-analyze not installed: the unit check is skipped\n');
}
