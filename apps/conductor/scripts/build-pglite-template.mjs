#!/usr/bin/env node
// Makes the embedded database's template: an initialised PGlite data directory, shipped in dist/ so a
// conductor's first start on an empty data_dir copies it instead of running initdb (seconds of CPU and
// ~850 MB) in the conductor's process. Cached by PGlite version, since initdb's output depends on nothing else.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'pglite-template.tar.gz');
const pgliteDir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
const { version } = JSON.parse(
  await import('node:fs/promises').then((fs) => fs.readFile(join(pgliteDir, '..', 'package.json'), 'utf8')),
);
// 1 MiB WAL segments (instead of 16): a small template, and a small pg_wal for small databases.
const INITDB_ARGS = ['--wal-segsize=1'];
const cached = join(
  root,
  'node_modules',
  '.cache',
  'pglite-template',
  `${version}-${INITDB_ARGS.join('')}.tar.gz`,
);

if (!existsSync(cached) || !existsSync(`${cached}.json`)) {
  const started = performance.now();
  await mkdir(dirname(cached), { recursive: true });
  const pglite = await PGlite.create({ initDbStartParams: INITDB_ARGS });
  const { rows } = await pglite.query('SHOW server_version');
  await writeFile(
    `${cached}.json`,
    `${JSON.stringify({ pglite: version, postgres: rows[0].server_version }, null, 2)}\n`,
  );
  await pglite.exec('CHECKPOINT');
  const tarball = await pglite.dumpDataDir('gzip');
  await pglite.close();
  await writeFile(`${cached}.tmp`, Buffer.from(await tarball.arrayBuffer()));
  await rename(`${cached}.tmp`, cached);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`pglite template: initdb with PGlite ${version} in ${seconds} s\n`);
}
await mkdir(dirname(target), { recursive: true });
await copyFile(cached, target);
await copyFile(`${cached}.json`, join(root, 'dist', 'pglite-template.json'));
