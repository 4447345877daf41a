import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDataDir, type TarEntry, TarReader } from '../../src/db/embedded/data-dir-template.js';

/** A ustar header block for `name`. */
function header(name: string, size: number, typeflag: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 'utf8');
  block.write(size.toString(8).padStart(11, '0'), 124, 'latin1');
  block.write(typeflag, 156, 'latin1');
  block.write('ustar', 257, 'latin1');
  return block;
}

function tar(...entries: [name: string, content: string | undefined, typeflag?: string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content, typeflag] of entries) {
    const body = Buffer.from(content ?? '');
    blocks.push(header(name, body.length, typeflag ?? (content === undefined ? '5' : '0')));
    blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

/** Reads an archive through the reader in chunks of `chunk` bytes. */
async function read(archive: Buffer, chunk = 100): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const pieces = [];
  for (let offset = 0; offset < archive.length; offset += chunk)
    pieces.push(archive.subarray(offset, offset + chunk));
  await pipeline(
    Readable.from(pieces),
    new TarReader(async (entry) => {
      entries.push({ ...entry, content: Buffer.from(entry.content) });
    }),
  );
  return entries;
}

describe('the embedded database template', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'data-dir-template-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads ustar entries split across any chunk boundaries', async () => {
    const archive = tar(['/base', undefined], ['/base/1', 'x'.repeat(700)], ['PG_VERSION', '17\n']);
    for (const chunk of [1, 7, 512, 100_000]) {
      const entries = await read(archive, chunk);
      expect(entries.map(({ path, type, content }) => [path, type, content.length])).toEqual([
        ['base', 'directory', 0],
        ['base/1', 'file', 700],
        ['PG_VERSION', 'file', 3],
      ]);
    }
  });

  it('refuses links, paths leaving the archive and a truncated archive', async () => {
    await expect(read(tar(['evil', 'target', '2']))).rejects.toThrow(/Unsupported tar entry type "2"/);
    await expect(read(tar(['../outside', 'x']))).rejects.toThrow(/Unsafe or corrupt tar entry/);
    const truncated = tar(['a', 'x'.repeat(600)]).subarray(0, 700);
    await expect(read(truncated)).rejects.toThrow(/Truncated tar archive/);
  });

  it('fills an empty directory from the template, PG_VERSION last, and keeps an existing database', async () => {
    const template = join(dir, 'template.tar.gz');
    await writeFile(
      template,
      gzipSync(tar(['PG_VERSION', '17\n'], ['base', undefined], ['base/1/2', 'page'])),
    );
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'conductor.lock'), '{}');
    expect(await prepareDataDir(dataDir, template)).toBe('from-template');
    expect(await readFile(join(dataDir, 'base/1/2'), 'utf8')).toBe('page');
    expect(await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).toBe('17\n');
    await writeFile(join(dataDir, 'base/1/2'), 'changed');
    expect(await prepareDataDir(dataDir, template)).toBe('existing');
    expect(await readFile(join(dataDir, 'base/1/2'), 'utf8')).toBe('changed');
  });

  it('refuses a directory holding files of its own, and names a missing template', async () => {
    const template = join(dir, 'template.tar.gz');
    const busy = join(dir, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'notes.txt'), 'mine');
    await expect(prepareDataDir(busy, template)).rejects.toThrow(
      /is not empty and holds no PostgreSQL data directory \(found notes\.txt\)/,
    );
    expect(existsSync(join(busy, 'base'))).toBe(false);
    await expect(prepareDataDir(join(dir, 'new'), join(dir, 'missing.tar.gz'))).rejects.toThrow(
      /missing\.tar\.gz is missing/,
    );
  });

  it('names the PostgreSQL versions when a data directory is of another major version', async () => {
    const versions = join(dir, 'versions');
    await mkdir(join(versions, 'old'), { recursive: true });
    const template = join(versions, 'pglite-template.tar.gz');
    await writeFile(template, gzipSync(tar(['PG_VERSION', '18\n'])));
    await writeFile(
      join(versions, 'pglite-template.json'),
      JSON.stringify({ pglite: '0.5.17', postgres: '18.7' }),
    );
    await writeFile(join(versions, 'old', 'PG_VERSION'), '17\n');
    await expect(prepareDataDir(join(versions, 'old'), template)).rejects.toThrow(
      /holds a PostgreSQL 17 database; this conductor's embedded engine is PostgreSQL 18\.7 \(PGlite 0\.5\.17\)/,
    );
    await writeFile(join(versions, 'old', 'PG_VERSION'), '18\n');
    expect(await prepareDataDir(join(versions, 'old'), template)).toBe('existing');
  });
});
