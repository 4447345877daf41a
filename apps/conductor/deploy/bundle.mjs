#!/usr/bin/env node
// Builds the conductor's deployment bundle: a self-contained folder with the conductor, the chosen driver
// packages and everything they need in node_modules, that runs wherever Node.js 20 runs, plus the systemd
// unit and the Dockerfile that install it. Run it as `pnpm bundle` at the repository's root (which builds
// the packages first); `--help` tells the options.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../../..');
const DEFAULT_DRIVERS = ['@ironic/driver-discoverd', '@ironic/driver-drac', '@ironic/driver-ipa'];
/** Options a bundled driver cannot start without, set to the usual local address (edit them). */
const REQUIRED_OPTIONS = {
  '@ironic/driver-discoverd': ['discoverd', { discoverd_url: 'http://127.0.0.1:5050' }],
};
/** Files of this folder that go into the bundle as they are. */
const SHIPPED = ['Dockerfile', '.dockerignore', 'ironic-conductor.service', 'README.md'];

const USAGE = `Usage: pnpm bundle [-- options]

Builds a self-contained folder with ironic-conductor and driver packages, ready to copy to a machine
with Node.js 20 (systemd unit and Dockerfile inside).

Options:
  --out <dir>        where to build it (default: build/ironic-conductor); must be absent or empty
  --driver <spec>    a driver package: a workspace package name, a path to a package folder or .tgz,
                     or an npm spec (ironic-driver-hello@^1.0.0); repeat for several.
                     Default: ${DEFAULT_DRIVERS.join(', ')}
  --force            empty --out first if it holds something
  -h, --help         show this help
`;

class BundleError extends Error {}

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new BundleError(
      `${command} ${args.join(' ')} failed in ${options.cwd ?? process.cwd()}:\n${output}`,
    );
  }
}

/** pnpm as this script was started with (`pnpm bundle`), else the version the repository pins. */
function pnpm(args, options) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(basename(execPath)) && execPath.endsWith('js'))
    return run(process.execPath, [execPath, ...args], options);
  return run('npx', ['-y', `pnpm@${PINNED_PNPM}`, ...args], options);
}

const rootManifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
const PINNED_PNPM = rootManifest.packageManager.replace(/^pnpm@/, '');

/** The workspace's published packages, by name. */
async function workspacePackages() {
  const found = new Map();
  for (const group of ['apps', 'packages']) {
    for (const entry of await readdir(join(REPO, group))) {
      const dir = join(REPO, group, entry);
      const manifest = await readFile(join(dir, 'package.json'), 'utf8').then(JSON.parse, () => undefined);
      if (manifest && !manifest.private) found.set(manifest.name, { dir, manifest });
    }
  }
  return found;
}

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function prepareOut(out, force) {
  const entries = await readdir(out).catch(() => []);
  if (entries.length > 0) {
    if (!force)
      throw new BundleError(`${out} is not empty: choose another --out, or pass --force to replace it`);
    await rm(out, { recursive: true, force: true });
  }
  await mkdir(join(out, 'vendor'), { recursive: true });
}

/**
 * The workspace packages that `roots` depend on, directly or not (not the roots themselves): npm cannot
 * fetch them from a registry, so each goes into vendor/ beside the packages that need it.
 */
function workspaceDependencies(roots, workspace) {
  const found = new Set();
  const pending = [...roots];
  while (pending.length > 0) {
    const { manifest } = workspace.get(pending.pop());
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!workspace.has(name) || found.has(name) || roots.includes(name)) continue;
      found.add(name);
      pending.push(name);
    }
  }
  return [...found].sort();
}

/** A workspace package packed into vendor/ (pnpm turns `workspace:` ranges into versions). */
async function packWorkspace(name, workspace, vendor) {
  const entry = workspace.get(name);
  if (!(await exists(join(entry.dir, 'dist')))) {
    throw new BundleError(
      `${name} is not built (no ${relative(REPO, entry.dir)}/dist): run pnpm build first`,
    );
  }
  const packed = JSON.parse(pnpm(['pack', '--pack-destination', vendor, '--json'], { cwd: entry.dir }));
  return `file:vendor/${basename(packed.filename)}`;
}

/** What `npm install` gets for one `--driver`: packed into vendor/ unless it is a registry spec. */
async function driverSpec(spec, workspace, vendor) {
  if (workspace.has(spec)) return packWorkspace(spec, workspace, vendor);
  const path = resolve(spec);
  if (isAbsolute(spec) || spec.startsWith('.') || (await exists(path))) {
    if (!(await exists(path))) throw new BundleError(`--driver ${spec}: no such file or folder`);
    if (path.endsWith('.tgz')) {
      await cp(path, join(vendor, basename(path)));
      return `file:vendor/${basename(path)}`;
    }
    // A folder is packed, not linked: the bundle must not point outside itself.
    const packed = JSON.parse(run('npm', ['pack', '--pack-destination', vendor, '--json'], { cwd: path }));
    return `file:vendor/${packed[0].filename}`;
  }
  return spec; // from the npm registry
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--')),
    options: {
      out: { type: 'string' },
      driver: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const out = resolve(values.out ?? join(REPO, 'build', 'ironic-conductor'));
  const drivers = values.driver ?? DEFAULT_DRIVERS;
  const workspace = await workspacePackages();
  await prepareOut(out, values.force === true);
  const vendor = join(out, 'vendor');

  process.stdout.write(`Packing the conductor and ${drivers.length} driver package(s) into ${vendor}\n`);
  const roots = ['@ironic/conductor', ...drivers.filter((driver) => workspace.has(driver))];
  const shared = workspaceDependencies(roots, workspace);
  const specs = [];
  for (const name of ['@ironic/conductor', ...shared])
    specs.push(await packWorkspace(name, workspace, vendor));
  for (const driver of drivers) specs.push(await driverSpec(driver, workspace, vendor));

  const manifest = {
    name: 'ironic-conductor-bundle',
    version: workspace.get('@ironic/conductor').manifest.version,
    private: true,
    description:
      'ironic-conductor and its driver packages, installed: run bin/ironic-conductor (see README.md).',
    type: 'module',
    engines: { node: '>=20' },
  };
  await writeFile(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write('Installing them with npm (production dependencies only)\n');
  run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--save', ...specs], { cwd: out });

  const installed = JSON.parse(await readFile(join(out, 'package.json'), 'utf8'));
  const driverNames = Object.keys(installed.dependencies).filter(
    (name) => name !== '@ironic/conductor' && !shared.includes(name),
  );
  await mkdir(join(out, 'bin'), { recursive: true });
  await writeFile(
    join(out, 'bin', 'ironic-conductor'),
    "#!/usr/bin/env node\n// The bundle's entry point: the conductor's CLI, resolving drivers from this bundle's node_modules.\nimport '../node_modules/@ironic/conductor/bin/ironic-conductor.js';\n",
    { mode: 0o755 },
  );
  const config = JSON.parse(await readFile(join(HERE, 'conductor.json'), 'utf8'));
  config.drivers.enabled = driverNames;
  for (const name of driverNames) {
    const [driver, options] = REQUIRED_OPTIONS[name] ?? [];
    if (driver) config.drivers.options[driver] = options;
  }
  await writeFile(join(out, 'conductor.json'), `${JSON.stringify(config, null, 2)}\n`);
  for (const file of SHIPPED) await cp(join(HERE, file), join(out, file));

  const version = run(process.execPath, [join(out, 'bin', 'ironic-conductor'), '--version']).trim();
  const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out) || '.';
  process.stdout.write(
    `\nBuilt ${shown}: ironic-conductor ${version} with ${driverNames.join(', ')}.\n` +
      'Copy the folder anywhere (cp -a, rsync, a container image): it needs Node.js 20 and nothing else.\n' +
      `  ${join(shown, 'bin', 'ironic-conductor')} --config ${join(shown, 'conductor.json')}\n` +
      `systemd: ${join(shown, 'ironic-conductor.service')}; container: docker build -t ironic-conductor ${shown}\n`,
  );
}

main().catch((error) => {
  const usage = String(error?.code ?? '').startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`bundle: ${error instanceof BundleError || usage ? error.message : error.stack}\n`);
  if (usage) process.stderr.write(`\n${USAGE}`);
  process.exitCode = usage ? 2 : 1;
});
