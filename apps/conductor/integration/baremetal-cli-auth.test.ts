// The real `baremetal` CLI (python-openstackclient with python-ironicclient) against the conductor, with
// `--os-auth-type none` on plain HTTP and `--os-auth-type http_basic` on HTTPS, as Ironic standalone is used.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Conductor, createConductor } from '../src/conductor.js';
import { defineConfig } from '../src/config/load-config.js';
import type { ConductorConfigInput } from '../src/config/schema.js';
import type { PackageImporter } from '../src/drivers/load-drivers.js';
import { commandAvailable, pythonHas, requirePeer, SYSTEM_PYTHON } from './support/peers.js';

const CERT = fileURLToPath(new URL('../test/fixtures/tls/localhost.crt', import.meta.url));
const KEY = fileURLToPath(new URL('../test/fixtures/tls/localhost.key', import.meta.url));
const RUN = requirePeer(
  commandAvailable('baremetal', ['--help']),
  'baremetal-cli-auth.test.ts',
  'the baremetal CLI (python3-openstackclient, python3-ironicclient)',
);

/** The testing kit's fake-hardware driver, as a package the conductor enables by name. */
const importer: PackageImporter = async (name) =>
  name === 'fake-hardware-package'
    ? { default: (await import('@ironic/driver-base/testing')).fakeDriver }
    : import(name);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `baremetal` with only the arguments given: no OS_* variable or clouds.yaml of this machine counts. */
function baremetal(args: readonly string[], home: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'baremetal',
      [...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function startConductor(
  api: ConductorConfigInput['api'],
): Promise<{ conductor: Conductor; url: string }> {
  const conductor = await createConductor(
    defineConfig({
      api: { host: '127.0.0.1', port: 0, ...api },
      database: { data_dir: 'memory://' },
      drivers: { enabled: ['fake-hardware-package'] },
    }),
    { logger: pino({ level: 'silent' }), importer },
  );
  const { address } = await conductor.start();
  return { conductor, url: address! };
}

describe.runIf(RUN)('the baremetal CLI', () => {
  let home: string;
  const conductors: Conductor[] = [];
  afterAll(async () => {
    for (const conductor of conductors) await conductor.stop({ timeout: 1000 });
    if (home) await rm(home, { recursive: true, force: true });
  });
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'baremetal-cli-'));
  });

  /** Enrolls, lists, shows, changes, manages and deletes a node, each through the CLI. */
  async function nodeLifecycle(auth: readonly string[], name: string) {
    const run = (...args: string[]) => baremetal([...auth, ...args], home);
    const created = await run('node', 'create', '--driver', 'fake-hardware', '--name', name, '-f', 'json');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const node = JSON.parse(created.stdout) as { uuid: string; provision_state: string };
    expect(node.provision_state).toBe('enroll');

    const list = await run('node', 'list', '-f', 'json');
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ UUID: node.uuid, Name: name }));

    expect((await run('node', 'set', name, '--extra', 'rack=r1')).code).toBe(0);
    const shown = await run('node', 'show', name, '-f', 'json', '-c', 'extra', '-c', 'driver');
    expect(JSON.parse(shown.stdout)).toEqual({ extra: { rack: 'r1' }, driver: 'fake-hardware' });

    const manage = await run('node', 'manage', name, '--wait', '60');
    expect(manage.code, manage.stderr).toBe(0);
    const state = await run('node', 'show', name, '-f', 'value', '-c', 'provision_state');
    expect(state.stdout.trim()).toBe('manageable');

    const drivers = await run('driver', 'list', '-f', 'json');
    expect(JSON.parse(drivers.stdout)).toContainEqual(
      expect.objectContaining({ 'Supported driver(s)': 'fake-hardware' }),
    );

    expect((await run('node', 'delete', name)).code).toBe(0);
    expect(JSON.parse((await run('node', 'list', '-f', 'json')).stdout)).toEqual([]);
  }

  it('works with --os-auth-type none on plain HTTP (api.auth_strategy noauth)', async () => {
    const { conductor, url } = await startConductor({});
    conductors.push(conductor);
    expect(url).toMatch(/^http:/);
    await nodeLifecycle(['--os-auth-type', 'none', '--os-endpoint', url], 'cli-noauth');
  });

  describe('with --os-auth-type http_basic on HTTPS (api.auth_strategy http_basic, api.tls)', () => {
    let url: string;
    const users: Record<string, string> = { admin: 's3cret' };

    beforeAll(async () => {
      const file = join(home, 'htpasswd');
      const lines = [`admin:${bcrypt.hashSync(users.admin!, 10).replace(/^\$2b\$/, '$2y$')}`];
      // A hash made by Python's bcrypt, as ironic-lib's users make them, at its default cost.
      if (pythonHas('bcrypt')) {
        users.operator = 'py-pass';
        const hashed = await new Promise<string>((resolve, reject) =>
          execFile(
            SYSTEM_PYTHON,
            ['-c', "import bcrypt; print(bcrypt.hashpw(b'py-pass', bcrypt.gensalt()).decode())"],
            (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
          ),
        );
        lines.push(`operator:${hashed}`);
      }
      await writeFile(file, `${lines.join('\n')}\n`);
      const started = await startConductor({
        auth_strategy: 'http_basic',
        http_basic_auth_user_file: file,
        tls: { cert_file: CERT, key_file: KEY },
      });
      conductors.push(started.conductor);
      url = started.url;
      expect(url).toMatch(/^https:/);
    });

    const basic = (user: string, password: string, trust: readonly string[] = ['--os-cacert', CERT]) => [
      '--os-auth-type',
      'http_basic',
      '--os-username',
      user,
      '--os-password',
      password,
      '--os-endpoint',
      url,
      ...trust,
    ];

    it('works with the right user and password', async () => {
      await nodeLifecycle(basic('admin', users.admin!), 'cli-basic');
    });

    it("accepts the hashes Python's bcrypt makes (ironic-lib's)", async () => {
      if (!users.operator) return;
      const list = await baremetal(
        [...basic('operator', users.operator), 'node', 'list', '-f', 'json'],
        home,
      );
      expect(list.code, list.stderr).toBe(0);
    });

    it('is refused with a wrong password, or without credentials', async () => {
      const wrong = await baremetal([...basic('admin', 'nope'), 'node', 'list'], home);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('Unauthorized (HTTP 401)');
      const none = await baremetal(
        ['--os-auth-type', 'none', '--os-endpoint', url, '--os-cacert', CERT, 'node', 'list'],
        home,
      );
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('Unauthorized (HTTP 401)');
    });

    it('checks the certificate: refused without the CA, accepted with --insecure', async () => {
      const untrusted = await baremetal([...basic('admin', users.admin!, []), 'node', 'list'], home);
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stderr).toMatch(/SSL|certificate/i);
      const insecure = await baremetal(
        [...basic('admin', users.admin!, ['--insecure']), 'node', 'list', '-f', 'json'],
        home,
      );
      expect(insecure.code, insecure.stderr).toBe(0);
    });
  });
});
