import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Exports = string | { [key: string]: Exports } | null | undefined;

/** Whether an import failed because the package itself could not be found. */
export function isPackageNotFound(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    error instanceof Error &&
    error.message.includes(packageName)
  );
}

/**
 * Imports a package by name: as the conductor itself resolves it, or else from the `node_modules` of
 * `searchFrom` (default: the working directory) and its parents. The second place matters under strict
 * installs (pnpm), where driver packages sit next to the conductor in the user's project, not inside it.
 */
export async function importPackage(
  packageName: string,
  searchFrom: readonly string[] = [process.cwd()],
): Promise<Record<string, unknown>> {
  try {
    return await import(packageName);
  } catch (error) {
    if (!isPackageNotFound(error, packageName)) throw error;
    for (const directory of searchFrom) {
      const entry = await findEntry(packageName, directory);
      if (entry) return import(pathToFileURL(entry).href);
    }
    throw error;
  }
}

function splitName(packageName: string): { name: string; subpath: string } {
  const parts = packageName.split('/');
  const size = packageName.startsWith('@') ? 2 : 1;
  const rest = parts.slice(size).join('/');
  return { name: parts.slice(0, size).join('/'), subpath: rest ? `./${rest}` : '.' };
}

async function findEntry(packageName: string, from: string): Promise<string | undefined> {
  const { name, subpath } = splitName(packageName);
  for (let directory = from; ; directory = dirname(directory)) {
    const root = join(directory, 'node_modules', name);
    const manifest = await readFile(join(root, 'package.json'), 'utf8').then(
      (text) => JSON.parse(text) as { exports?: Exports; main?: string },
      () => undefined,
    );
    if (manifest) {
      const target =
        exportTarget(manifest.exports, subpath) ??
        (subpath === '.' ? (manifest.main ?? 'index.js') : undefined);
      return target ? join(root, target) : undefined;
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function exportTarget(exports: Exports, subpath: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  const keys = Object.keys(exports);
  const bySubpath = keys.some((key) => key.startsWith('.'));
  return conditionTarget(bySubpath ? exports[subpath] : subpath === '.' ? exports : undefined);
}

function conditionTarget(value: Exports): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const target = conditionTarget(value[condition]);
    if (target) return target;
  }
  return undefined;
}
