import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of the embedded servers' private directories (socket, and the data of `memory://`). */
const PREFIX = 'ironic-pglite-';
/** The socket's port number: libpq and node-postgres connect to `<host dir>/.s.PGSQL.<port>`. */
export const SOCKET_PORT = 5432;
/** The socket's name in such a directory. */
export const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;

/** A new private (0700) directory for an embedded server of this process, under the OS temp directory. */
export function makeRunDir(parent = tmpdir()): Promise<string> {
  return mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
}

/**
 * Removes the directories left by embedded servers whose process is gone (a `kill -9` skips the clean-up,
 * and a `memory://` database would stay on disk). Best effort: what cannot be removed is left alone.
 */
export async function removeStaleRunDirs(
  parent = tmpdir(),
  isRunning: (pid: number) => boolean = processRunning,
): Promise<string[]> {
  const pattern = new RegExp(`^${PREFIX}(\\d+)-`);
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    // A process of another PID namespace sharing this directory still answers on its socket.
    if (await answers(join(parent, name, SOCKET_NAME))) continue;
    try {
      await rm(join(parent, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another user's, or already gone.
    }
  }
  return removed;
}

/** Whether a server listens on a unix socket (a missing or dead socket refuses at once). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
