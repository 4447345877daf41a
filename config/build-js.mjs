// `pnpm build:js`: every workspace package's JavaScript (dist/*.js), without type declarations. It is
// what the tests need — the conductor and demo processes they spawn, the driver packages a conductor
// loads by name — at a fraction of `pnpm build`'s cost, most of which is tsup's declaration step.
// Declarations are for typecheck, publint and publishing, which run `build`. Existing declarations are
// left in place (no clean), so a full build's output stays whole.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsupPackage = createRequire(import.meta.url).resolve('tsup/package.json');
const tsupCli = join(dirname(tsupPackage), 'dist', 'cli-default.js');
const run = promisify(execFile);

const packages = [];
for (const group of ['packages', 'apps']) {
  for (const entry of await readdir(join(root, group), { withFileTypes: true })) {
    const dir = join(root, group, entry.name);
    if (entry.isDirectory() && existsSync(join(dir, 'tsup.config.ts'))) packages.push(dir);
  }
}

const started = performance.now();
// Two at a time: each is a short esbuild run; more would only queue on a small machine.
const queue = [...packages];
const worker = async () => {
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    try {
      await run(process.execPath, [tsupCli, '--silent'], {
        cwd: dir,
        env: { ...process.env, IRONIC_BUILD_DTS: 'false' },
      });
    } catch (error) {
      process.stderr.write(`${dir}: ${error.stderr || error.message}\n`);
      process.exitCode = 1;
    }
  }
};
await Promise.all([worker(), worker()]);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`built the JavaScript of ${packages.length} packages (no declarations) in ${seconds} s`);
