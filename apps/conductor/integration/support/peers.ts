import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python with Debian's OpenStack packages (a pyenv `python3` earlier on PATH has none of them). */
export const SYSTEM_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Whether a command runs here (`--version` exits 0). */
export function commandAvailable(command: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Whether the system Python imports these modules. */
export function pythonHas(...modules: string[]): boolean {
  return commandAvailable(SYSTEM_PYTHON, ['-c', modules.map((name) => `import ${name}`).join('; ')]);
}

/**
 * Says once, visibly, that a suite is skipped because a peer is missing; under CI (which installs the
 * peers in .ci/run) a missing peer fails instead.
 */
export function requirePeer(available: boolean, suite: string, missing: string): boolean {
  if (available) return true;
  if (process.env.CI) throw new Error(`${suite}: ${missing} is not installed, and CI must run this suite`);
  process.stderr.write(`${suite}: skipped: ${missing} is not installed\n`);
  return false;
}

/** The Python interpreters that may have Debian's packages (the system one first, not a pyenv shim). */
const PYTHONS = [SYSTEM_PYTHON, 'python3'];

/** Which of the real peers are installed: a Python with these modules, and the `baremetal` CLI. */
export interface Peers {
  /** A Python that imports `ironicclient`, or undefined. */
  readonly python: string | undefined;
  /** Whether that Python also imports `ironic` (real Ironic, to compare answers with). */
  readonly ironic: boolean;
  /** The `baremetal` command, or undefined. */
  readonly baremetal: string | undefined;
}

function imports(python: string, modules: string): boolean {
  const result = spawnSync(python, ['-c', `import ${modules}`], { stdio: 'ignore', timeout: 60_000 });
  return result.status === 0;
}

let found: Peers | undefined;

/** Looks the peers up once per test file. */
export function findPeers(): Peers {
  if (found) return found;
  const python = PYTHONS.find((candidate) => imports(candidate, 'ironicclient'));
  const ironic = python !== undefined && imports(python, 'ironic.cmd.singleprocess');
  const which = spawnSync('sh', ['-c', 'command -v baremetal'], { encoding: 'utf8' });
  const baremetal = which.status === 0 ? which.stdout.trim() : undefined;
  found = { python, ironic, baremetal };
  return found;
}

/**
 * Whether a suite can run: when a peer is missing it says so in one line and the suite is skipped, or,
 * with `CI` set, it fails, since CI installs the peers.
 */
export function peersAvailable(
  suite: string,
  needs: { ironicclient?: boolean; ironic?: boolean; baremetal?: boolean },
): boolean {
  const peers = findPeers();
  const missing = [
    needs.ironicclient && !peers.python ? 'python3-ironicclient' : undefined,
    needs.ironic && !peers.ironic ? 'python3-ironic' : undefined,
    needs.baremetal && !peers.baremetal ? 'python3-openstackclient (baremetal)' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length === 0) return true;
  const message = `${suite}: skipped, not installed: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(message.replace('skipped', 'cannot run in CI'));
  console.warn(message);
  return false;
}
