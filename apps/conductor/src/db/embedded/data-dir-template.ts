import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DATA_DIR_LOCK_FILE } from '../../cluster/data-dir-lock.js';
import { makeDirectory } from '../../fs/make-directory.js';
import { distFile } from './package-files.js';

/** The initialised PGlite data directory made at build time (`scripts/build-pglite-template.mjs`). */
export const TEMPLATE_FILE = 'pglite-template.tar.gz';
/** What made the template: `{ pglite, postgres }` versions. */
export const TEMPLATE_INFO_FILE = 'pglite-template.json';

/** The file whose presence makes a directory a PostgreSQL data directory; written last. */
const PG_VERSION = 'PG_VERSION';

/** What preparing a data directory did. */
export type DataDirPreparation = 'existing' | 'from-template';

/**
 * Makes `dataDir` a PostgreSQL data directory: kept as it is when it already is one, else filled from
 * the build's template — never initdb at run time. The template streams through in small pieces (a whole
 * copy in memory would stay in the process' heap for good), and `PG_VERSION` is written last, so an
 * interrupted copy is simply copied again on the next start. A directory holding anything else is refused.
 */
export async function prepareDataDir(
  dataDir: string,
  template = distFile(TEMPLATE_FILE),
): Promise<DataDirPreparation> {
  if (existsSync(join(dataDir, PG_VERSION))) {
    await checkMajorVersion(dataDir, join(dirname(template), TEMPLATE_INFO_FILE));
    return 'existing';
  }
  if (!existsSync(template)) {
    throw new Error(
      `The embedded database's template ${template} is missing: build @ironic/conductor (pnpm build)`,
    );
  }
  await makeDirectory(dataDir);
  const foreign = (await readdir(dataDir)).filter(
    (name) => !TEMPLATE_TOP_LEVEL.has(name) && name !== DATA_DIR_LOCK_FILE,
  );
  if (foreign.length > 0) {
    throw new Error(
      `${dataDir} is not empty and holds no PostgreSQL data directory (found ${foreign.slice(0, 3).join(', ')}): ` +
        'give the embedded database an empty or new directory',
    );
  }
  let version: Buffer | undefined;
  const reader = new TarReader(async (entry) => {
    const path = join(dataDir, entry.path);
    if (entry.type === 'directory') {
      await mkdir(path, { recursive: true, mode: 0o700 });
    } else if (entry.path === PG_VERSION) {
      version = Buffer.from(entry.content);
    } else {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, entry.content, { mode: 0o600 });
    }
  });
  await pipeline(createReadStream(template), createGunzip(), reader);
  if (!version) throw new Error(`The embedded database's template ${template} has no ${PG_VERSION}`);
  await writeFile(join(dataDir, PG_VERSION), version, { mode: 0o600 });
  return 'from-template';
}

/**
 * PostgreSQL opens only data directories of its own major version; PGlite would only say that it "failed
 * to initialize". Said plainly here, with the way out.
 */
async function checkMajorVersion(dataDir: string, infoFile: string): Promise<void> {
  if (!existsSync(infoFile)) return;
  const info = JSON.parse(await readFile(infoFile, 'utf8')) as { pglite: string; postgres: string };
  const engine = info.postgres.split('.')[0];
  const found = (await readFile(join(dataDir, PG_VERSION), 'utf8')).trim();
  if (found !== engine) {
    throw new Error(
      `${dataDir} holds a PostgreSQL ${found} database; this conductor's embedded engine is PostgreSQL ` +
        `${info.postgres} (PGlite ${info.pglite}), which cannot open it. Export its data with the conductor ` +
        `that made it (or pg_dump), then start on an empty directory`,
    );
  }
}

/** What PostgreSQL keeps at the top of a data directory (anything else there is not ours to overwrite). */
const TEMPLATE_TOP_LEVEL: ReadonlySet<string> = new Set([
  PG_VERSION,
  'base',
  'global',
  'pg_commit_ts',
  'pg_dynshmem',
  'pg_hba.conf',
  'pg_ident.conf',
  'pg_logical',
  'pg_multixact',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat',
  'pg_stat_tmp',
  'pg_subtrans',
  'pg_tblspc',
  'pg_twophase',
  'pg_wal',
  'pg_xact',
  'postgresql.auto.conf',
  'postgresql.conf',
  'postmaster.pid',
  'postmaster.opts',
]);

/** One entry of a tar archive. */
export interface TarEntry {
  /** Relative path, without a leading `/`. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly content: Buffer;
}

const BLOCK = 512;

/**
 * Reads a ustar archive as it streams in (as PGlite's `dumpDataDir` writes it: plain files and
 * directories), handing each entry over whole. Anything else — links, devices, paths leaving the
 * archive's root — is an error, not silently skipped.
 */
export class TarReader extends Writable {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #ended = false;
  readonly #onEntry: (entry: TarEntry) => Promise<void>;

  constructor(onEntry: (entry: TarEntry) => Promise<void>) {
    super();
    this.#onEntry = onEntry;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    this.#drain().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback(this.#ended ? null : new Error('Truncated tar archive: no end-of-archive block'));
  }

  async #drain(): Promise<void> {
    while (!this.#ended && this.#pendingBytes >= BLOCK) {
      const header = this.#peek(BLOCK);
      if (header.every((byte) => byte === 0)) {
        this.#ended = true;
        return;
      }
      const entry = parseHeader(header);
      const size = entry.type === 'file' ? entry.size : 0;
      const total = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      if (this.#pendingBytes < total) return;
      const record = this.#take(total);
      if (entry.path !== '') {
        await this.#onEntry({
          path: entry.path,
          type: entry.type,
          content: record.subarray(BLOCK, BLOCK + size),
        });
      }
    }
  }

  #peek(bytes: number): Buffer {
    if ((this.#pending[0] as Buffer).length < bytes) this.#pending = [Buffer.concat(this.#pending)];
    return (this.#pending[0] as Buffer).subarray(0, bytes);
  }

  #take(bytes: number): Buffer {
    const all = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
    const record = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#pendingBytes = rest.length;
    return record;
  }
}

function parseHeader(header: Buffer): { path: string; type: TarEntry['type']; size: number } {
  const name = field(header, 0, 100);
  const prefix = header.toString('latin1', 257, 262) === 'ustar' ? field(header, 345, 155) : '';
  const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
  const typeflag = String.fromCharCode(header[156] as number);
  const path = posix.normalize([prefix, name].filter(Boolean).join('/')).replace(/^\/+|\/+$/g, '');
  if (path === '..' || path.startsWith('../') || Number.isNaN(size)) {
    throw new Error(`Unsafe or corrupt tar entry ${JSON.stringify(name)}`);
  }
  if (typeflag === '0' || typeflag === '\0') return { path, type: 'file', size };
  if (typeflag === '5') return { path: path === '.' ? '' : path, type: 'directory', size: 0 };
  throw new Error(`Unsupported tar entry type ${JSON.stringify(typeflag)} for ${JSON.stringify(name)}`);
}

function field(header: Buffer, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return bytes.toString('utf8', 0, end < 0 ? length : end);
}
