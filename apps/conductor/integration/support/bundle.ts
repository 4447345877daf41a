import { fileURLToPath } from 'node:url';
import { runCommand } from './processes.js';

/** The script `pnpm bundle` runs. */
export const BUNDLE_SCRIPT = fileURLToPath(new URL('../../deploy/bundle.mjs', import.meta.url));

/** Builds a bundle into `out` (the packages must be built), as `pnpm bundle -- --out <out> ...` does. */
export async function buildBundle(out: string, drivers: readonly string[] = []): Promise<void> {
  const args = [BUNDLE_SCRIPT, '--out', out, ...drivers.flatMap((driver) => ['--driver', driver])];
  const { code, output } = await runCommand(process.execPath, args, {
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    env: process.env as Record<string, string>,
  });
  if (code !== 0) throw new Error(`bundle.mjs exited ${code}:\n${output}`);
}
