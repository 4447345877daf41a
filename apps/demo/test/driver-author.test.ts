// The README's driver-author example, end to end: compiled as its author would build it, installed next
// to a real conductor process, enabled there by package name, and driven over the HTTP API.
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConductorProcess, startConductorProcess } from '../src/conductor-process.js';
import { IronicClient } from '../src/ironic-client.js';
import { NodeBoard } from '../src/node-board.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../examples/hello-driver/', import.meta.url));
const require = createRequire(import.meta.url);

/** Where a workspace package really is, so the example and the conductor share one copy of it. */
async function packageDir(name: string): Promise<string> {
  return realpath(dirname(require.resolve(`${name}/package.json`)));
}

/**
 * "npm install ironic-driver-hello" into `project`: the package built into its node_modules, with its
 * peer dependencies linked to the workspace's copies.
 */
async function installExample(project: string): Promise<void> {
  const installed = join(project, 'node_modules', 'ironic-driver-hello');
  await build({
    config: false,
    entry: { index: join(EXAMPLE_DIR, 'src', 'index.ts') },
    outDir: join(installed, 'dist'),
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    keepNames: true,
    tsconfig: join(EXAMPLE_DIR, 'tsconfig.json'),
    external: ['@ironic/driver-base', '@ironic/periodic-core'],
    silent: true,
  });
  await cp(join(EXAMPLE_DIR, 'package.json'), join(installed, 'package.json'));
  await mkdir(join(project, 'node_modules', '@ironic'), { recursive: true });
  for (const peer of ['driver-base', 'periodic-core']) {
    await symlink(await packageDir(`@ironic/${peer}`), join(project, 'node_modules', '@ironic', peer), 'dir');
  }
}

describe('the driver-author example, enabled in a real conductor by package name', () => {
  let project: string;
  let conductor: ConductorProcess;
  let client: IronicClient;
  let board: NodeBoard;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'hello-driver-'));
    await installExample(project);
    const configFile = join(project, 'conductor.json');
    await writeFile(
      configFile,
      JSON.stringify({
        api: { host: '127.0.0.1', port: 0 },
        database: { data_dir: 'memory://' },
        drivers: {
          enabled: ['ironic-driver-hello'],
          options: { hello: { inspect_seconds: 1, check_interval: 1 } },
        },
        log: { level: 'info', pretty: false },
      }),
    );
    conductor = await startConductorProcess({
      configFile,
      cwd: project, // the conductor finds the package in the working directory's node_modules
      url: 'http://127.0.0.1:0', // the address the conductor announces once it listens
      logFile: join(project, 'conductor.log'),
      startTimeoutMs: 120_000, // only a hang fails: a busy machine may take long to start it
    });
    client = new IronicClient(conductor.url);
    board = new NodeBoard(client, { intervalMs: 100 });
    board.start();
  });

  afterAll(async () => {
    await board?.stop();
    await client?.close();
    await conductor?.stop();
    await rm(project, { recursive: true, force: true });
  });

  it('compiles to plain ESM that imports only its peer dependencies', async () => {
    const code = await readFile(
      join(project, 'node_modules', 'ironic-driver-hello', 'dist', 'index.js'),
      'utf8',
    );
    const imports = [...code.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(imports)).toEqual(new Set(['@ironic/driver-base', '@ironic/periodic-core']));
  });

  it('inspects a node through its own per-node periodic task, over the API', async () => {
    const created = await client.createNode({
      uuid: '0b1e6f2c-4f7e-4c39-8d0e-6a3f2b9c1d10',
      name: 'hello-1',
      driver: 'hello',
    });
    expect(created.provision_state).toBe('enroll');
    await client.setProvisionState(created.uuid, 'manage');
    await board.waitFor(created.uuid, ['manageable'], 120_000);
    await client.setProvisionState(created.uuid, 'inspect');
    const inspected = await board.waitFor(created.uuid, ['manageable', 'inspect failed'], 120_000);
    expect(inspected.provision_state).toBe('manageable');

    const response = await fetch(`${conductor.url}/v1/nodes/${created.uuid}`, {
      headers: { 'X-OpenStack-Ironic-API-Version': '1.82' },
    });
    const node = (await response.json()) as { properties: Record<string, unknown> };
    expect(node.properties.greeting).toBe('hello, hello-1');
  });

  it('runs both of its periodic tasks on the conductor', async () => {
    const tasks = await client.periodicTasks();
    const byName = new Map(tasks.map((task) => [task.name, task]));
    expect(byName.get('HelloInspect.sayHello')?.runs).toBeGreaterThanOrEqual(1);
    const sweep = byName.get('HelloInspect.finishInspections');
    expect(sweep?.spacing).toBe(1);
    expect(sweep?.sweep?.handled).toBeGreaterThanOrEqual(1);
  });
});
