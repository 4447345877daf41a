import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the Python scripts driving the real clients are. */
export const CLIENTS_DIR = fileURLToPath(new URL('../clients/', import.meta.url));

/** Runs a command and resolves with its stdout; rejects with its stderr when it fails. */
export function run(command: string, args: readonly string[], timeoutMs = 240_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-3000)}`));
        else resolve(stdout);
      },
    );
  });
}

/** Runs `baremetal` against an endpoint without authentication; resolves with its output. */
export function baremetal(command: string, url: string, args: readonly string[]): Promise<string> {
  return run(command, ['--os-auth-type', 'none', '--os-endpoint', url, ...args], 120_000);
}
