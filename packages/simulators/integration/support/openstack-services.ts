import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real OpenStack service run by the test: its URL and how to stop it. */
export interface RunningService {
  readonly url: string;
  /** What it logged so far (shown when it fails). */
  readonly log: () => string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it); the service is started on it at once. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port from the OS');
  return address.port;
}

/** Runs `python -c "from <module> import main; main()" <args>` to the end; throws with its output if it fails. */
function runMain(python: string, module: string, args: readonly string[]): void {
  const result = spawnSync(
    python,
    ['-c', `import sys; from ${module} import main; sys.exit(main())`, ...args],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `${module} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** Starts `python -c "from <module> import main; main()" <args>` in the background. */
function startMain(
  python: string,
  module: string,
  args: readonly string[],
): { child: ChildProcess; log: () => string } {
  const child = spawn(python, ['-c', `import sys; from ${module} import main; sys.exit(main())`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    // Only the end matters when something fails; keep the log bounded.
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, log: () => output };
}

/**
 * Polls `url` until it answers 200 — a service that was just started listens after its imports and
 * database setup — for at most `limitMs`; rejects with its log if it exits or never answers.
 */
async function waitUntilServing(
  url: string,
  child: ChildProcess,
  log: () => string,
  limitMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${url} exited (${child.exitCode}) before serving:\n${log()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${limitMs / 1000} s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/**
 * Starts a service's `main` with its configuration, waits until it answers on `port`; stopping it
 * removes `dir` (its configuration and database).
 */
async function serve(
  python: string,
  module: string,
  config: string,
  port: number,
  dir: string,
): Promise<RunningService> {
  const { child, log } = startMain(python, module, ['--config-file', config]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`${url}/`, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, log, stop };
}

/**
 * Real Ironic 21.4 in one process (`ironic.cmd.singleprocess`): noauth, SQLite in a temporary directory,
 * fake-hardware, no RPC bus, on an ephemeral port.
 */
export async function startIronic(python: string): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), 'ironic-'));
  const port = await freePort();
  const config = join(dir, 'ironic.conf');
  await writeFile(
    config,
    [
      '[DEFAULT]',
      'auth_strategy = noauth',
      'enabled_hardware_types = fake-hardware',
      'enabled_power_interfaces = fake',
      'enabled_management_interfaces = fake',
      'enabled_boot_interfaces = fake',
      'enabled_deploy_interfaces = fake',
      'enabled_inspect_interfaces = no-inspect',
      'enabled_bios_interfaces = no-bios',
      'enabled_console_interfaces = no-console',
      'enabled_raid_interfaces = no-raid',
      'enabled_rescue_interfaces = no-rescue',
      'enabled_vendor_interfaces = no-vendor',
      'enabled_network_interfaces = noop',
      'rpc_transport = none',
      'host = integration-ironic',
      'use_stderr = true',
      '[api]',
      'host_ip = 127.0.0.1',
      `port = ${port}`,
      '[database]',
      `connection = sqlite:///${join(dir, 'ironic.sqlite')}`,
      '[dhcp]',
      'dhcp_provider = none',
      '[conductor]',
      'automated_clean = false',
      '[oslo_concurrency]',
      `lock_path = ${join(dir, 'locks')}`,
      '',
    ].join('\n'),
  );
  runMain(python, 'ironic.cmd.dbsync', ['--config-file', config, 'create_schema']);
  return serve(python, 'ironic.cmd.singleprocess', config, port, dir);
}

/**
 * Real ironic-inspector 11.1, standalone: noauth, SQLite in a temporary directory, no PXE filter,
 * introspection data kept in its database, asking `ironicUrl` about nodes, syncing with it every
 * `cleanUpPeriodS` seconds, no delay between two nodes' reboots.
 */
export async function startInspector(
  python: string,
  ironicUrl: string,
  cleanUpPeriodS: number,
): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), 'inspector-'));
  const port = await freePort();
  const config = join(dir, 'inspector.conf');
  await writeFile(
    config,
    [
      '[DEFAULT]',
      'auth_strategy = noauth',
      'standalone = true',
      'listen_address = 127.0.0.1',
      `listen_port = ${port}`,
      `clean_up_period = ${cleanUpPeriodS}`,
      'introspection_delay = 0',
      'transport_url = fake://',
      'use_stderr = true',
      '[database]',
      `connection = sqlite:///${join(dir, 'inspector.sqlite')}`,
      '[ironic]',
      'auth_type = none',
      `endpoint_override = ${ironicUrl}`,
      '[pxe_filter]',
      'driver = noop',
      '[processing]',
      'store_data = database',
      '',
    ].join('\n'),
  );
  runMain(python, 'ironic_inspector.cmd.dbsync', ['--config-file', config, 'upgrade']);
  return serve(python, 'ironic_inspector.cmd.all', config, port, dir);
}
