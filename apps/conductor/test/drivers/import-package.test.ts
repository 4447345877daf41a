import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPackage } from '../../src/drivers/import-package.js';
import { loadDriverPackages } from '../../src/drivers/load-drivers.js';

describe('importPackage', () => {
  let project: string;
  beforeAll(async () => {
    // A project with a driver package the conductor itself cannot see (as under pnpm).
    project = await mkdtemp(join(tmpdir(), 'conductor-project-'));
    const pkg = join(project, 'node_modules', '@example', 'outside-driver');
    await mkdir(join(pkg, 'dist'), { recursive: true });
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@example/outside-driver',
        type: 'module',
        exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      }),
    );
    await writeFile(
      join(pkg, 'dist', 'index.js'),
      `export default { kind: 'ironic-driver', name: 'outside', optionsSchema: { '~standard': { version: 1, vendor: 't', validate: (v) => ({ value: v }) } }, create: () => ({ name: 'outside', interfaces: {} }) };\n`,
    );
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('imports what the conductor resolves itself', async () => {
    const module = await importPackage('zod', []);
    expect(typeof module.z).toBe('object');
  });

  it('falls back to the node_modules of the given directory and its parents', async () => {
    const nested = join(project, 'config', 'deep');
    await mkdir(nested, { recursive: true });
    const module = await importPackage('@example/outside-driver', [nested]);
    expect((module.default as { name: string }).name).toBe('outside');
  });

  it('reports a package found nowhere as missing', async () => {
    await expect(importPackage('@example/nowhere', [project])).rejects.toMatchObject({
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const attempt = loadDriverPackages(['@example/nowhere'], (name) => importPackage(name, [project]));
    await expect(attempt).rejects.toMatchObject({ reason: 'missing-package' });
  });
});
