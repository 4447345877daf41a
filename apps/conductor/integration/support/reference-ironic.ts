import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Ironic 21.4, all in one process, to hold this conductor's answers against. */
export interface ReferenceIronic {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops it and removes its files. */
  stop(): Promise<void>;
}

const STARTUP_DEADLINE_MS = 180_000;

/** The configuration: noauth, SQLite, fake-hardware with every fake (and no-*) interface enabled. */
function config(dir: string): string {
  return `[DEFAULT]
auth_strategy = noauth
enabled_hardware_types = fake-hardware
enabled_bios_interfaces = fake,no-bios
enabled_boot_interfaces = fake
enabled_console_interfaces = fake,no-console
enabled_deploy_interfaces = fake
enabled_inspect_interfaces = fake,no-inspect
enabled_management_interfaces = fake
enabled_network_interfaces = noop
enabled_power_interfaces = fake
enabled_raid_interfaces = fake,no-raid
enabled_rescue_interfaces = fake,no-rescue
enabled_storage_interfaces = fake,noop
enabled_vendor_interfaces = fake,no-vendor
rpc_transport = none
host = ironic-reference
use_stderr = true
[database]
connection = sqlite:///${join(dir, 'ironic.sqlite')}
[api]
host_ip = 127.0.0.1
port = 0
[dhcp]
dhcp_provider = none
`;
}

/**
 * Starts Ironic with `ironic.cmd.singleprocess` on an ephemeral port in a temporary directory, and
 * resolves once its API answers. A start that fails or takes too long rejects with Ironic's log.
 */
export async function startReferenceIronic(python: string): Promise<ReferenceIronic> {
  const dir = await mkdtemp(join(tmpdir(), 'ironic-reference-'));
  const configFile = join(dir, 'ironic.conf');
  await writeFile(configFile, config(dir));
  const schema = spawnSync(
    python,
    [
      '-c',
      'import sys; from ironic.cmd import dbsync; sys.argv = ["ironic-dbsync", "--config-file", sys.argv[1], "create_schema"]; dbsync.main()',
      configFile,
    ],
    { encoding: 'utf8', timeout: STARTUP_DEADLINE_MS },
  );
  if (schema.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Ironic's database could not be created: ${schema.stderr.slice(-2000)}`);
  }
  const child: ChildProcess = spawn(
    python,
    [
      '-c',
      'import sys; from ironic.cmd import singleprocess; sys.argv = ["ironic", "--config-file", sys.argv[1]]; singleprocess.main()',
      configFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Ironic did not start within ${STARTUP_DEADLINE_MS} ms:\n${log.slice(-3000)}`)),
      STARTUP_DEADLINE_MS,
    );
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /wsgi starting up on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Ironic exited (${code}) before serving:\n${log.slice(-3000)}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  // Keep draining its output so that it never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
