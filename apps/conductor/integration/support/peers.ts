import { execFileSync } from 'node:child_process';
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
