import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConductorError } from '../errors.js';
import { makeDirectory } from '../fs/make-directory.js';

/** The lock file's name inside a PGlite data directory. */
export const DATA_DIR_LOCK_FILE = 'conductor.lock';

/** Who holds a data directory, as written in its lock file. */
export interface DataDirLockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
}

/**
 * A second conductor tried to open an embedded (PGlite) data directory that a live conductor holds.
 * PGlite serves one process only; several conductors need PostgreSQL.
 */
export class DataDirLocked extends ConductorError {
  override readonly name = 'DataDirLocked';
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirLockOwner,
  ) {
    super(
      `The PGlite data directory ${dataDir} is in use by another conductor (pid ${owner.pid} on ${owner.hostname}, since ${owner.started_at}). ` +
        'The embedded database serves one conductor only: stop that one, or run several conductors on PostgreSQL (database.url).',
    );
  }
}

/** A held data directory lock. */
export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Calling it again does nothing. */
  release(): Promise<void>;
}

/** Options of `acquireDataDirLock`. */
export interface DataDirLockOptions {
  /** This process' id. Default `process.pid`. */
  pid?: number;
  /** Whether a process of that id runs on this host. Default: `process.kill(pid, 0)`. */
  isRunning?: (pid: number) => boolean;
  /** The clock (epoch ms) for `started_at`. Default `Date.now`. */
  now?: () => number;
}

/**
 * Takes the data directory for this process: creates `conductor.lock` exclusively with our pid.
 * A lock left by a process that is gone (this host, pid not running) is taken over; one held by a live
 * process, or written on another host, rejects with `DataDirLocked`.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: DataDirLockOptions = {},
): Promise<DataDirLock> {
  const pid = options.pid ?? process.pid;
  const isRunning = options.isRunning ?? processRuns;
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  const owner: DataDirLockOwner = {
    pid,
    hostname: hostname(),
    started_at: new Date((options.now ?? Date.now)()).toISOString(),
  };
  await makeDirectory(dataDir);
  // Two attempts: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusively(path, owner)) return lockHandle(path, owner);
    const holder = await readOwner(path);
    if (holder === undefined) continue;
    const stale = holder.hostname === owner.hostname && holder.pid !== pid && !isRunning(holder.pid);
    if (!stale) throw new DataDirLocked(dataDir, holder);
    await unlink(path).catch(ignoreMissing);
  }
  const holder = await readOwner(path);
  throw new DataDirLocked(dataDir, holder ?? { pid: -1, hostname: 'unknown', started_at: 'unknown' });
}

/**
 * Writes the lock aside and hard-links it into place: the link fails if the lock exists (like `wx`), and
 * a reader never sees a half-written lock.
 */
async function createExclusively(path: string, owner: DataDirLockOwner): Promise<boolean> {
  const draft = `${path}.${owner.pid}.tmp`;
  await writeFile(draft, `${JSON.stringify(owner)}\n`, { flag: 'w' });
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(ignoreMissing);
  }
}

function lockHandle(path: string, owner: DataDirLockOwner): DataDirLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      const holder = await readOwner(path);
      if (holder?.pid === owner.pid && holder.started_at === owner.started_at) {
        await unlink(path).catch(ignoreMissing);
      }
    },
  };
}

async function readOwner(path: string): Promise<DataDirLockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DataDirLockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, started_at: String(parsed.started_at) };
    }
  } catch {
    // Not our format (locks are linked in whole, so never half-written): below, a holder that cannot run.
  }
  return { pid: 0, hostname: hostname(), started_at: 'unknown' };
}

function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
