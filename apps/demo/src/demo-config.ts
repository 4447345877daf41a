import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DemoConfigError } from './errors.js';

/** What the demo reads from the conductor's configuration file. */
export interface DemoConductorConfig {
  /** The file as read. */
  readonly file: string;
  /** Its parsed content, passed on unchanged unless something is overridden. */
  readonly raw: Record<string, unknown>;
  readonly apiHost: string;
  readonly apiPort: number;
  /** `drivers.options.discoverd.discoverd_url`: where the demo starts its discoverd. */
  readonly discoverdUrl: URL;
  /** `database.data_dir` as written (relative paths are the conductor's working directory's). */
  readonly dataDir: string;
}

/** Values that replace the file's, for tests: free ports and a temporary data directory. */
export interface ConfigOverrides {
  readonly apiPort?: number;
  readonly discoverdPort?: number;
  readonly dataDir?: string;
}

/** Reads the conductor configuration file the demo runs with; what the demo needs must be in it. */
export async function readDemoConfig(file: string): Promise<DemoConductorConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DemoConfigError(file, `cannot read it as JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) throw new DemoConfigError(file, 'expected a JSON object');
  const api = isObject(raw.api) ? raw.api : {};
  const database = isObject(raw.database) ? raw.database : {};
  const drivers = isObject(raw.drivers) ? raw.drivers : {};
  const options = isObject(drivers.options) ? drivers.options : {};
  const discoverd = isObject(options.discoverd) ? options.discoverd : {};
  if (isObject(database) && typeof database.url === 'string') {
    throw new DemoConfigError(file, 'database.url is set: the demo runs on the embedded database (data_dir)');
  }
  if (typeof discoverd.discoverd_url !== 'string') {
    throw new DemoConfigError(
      file,
      'drivers.options.discoverd.discoverd_url is required: the demo starts discoverd there',
    );
  }
  let discoverdUrl: URL;
  try {
    discoverdUrl = new URL(discoverd.discoverd_url);
  } catch {
    throw new DemoConfigError(
      file,
      `drivers.options.discoverd.discoverd_url is not a URL: ${discoverd.discoverd_url}`,
    );
  }
  return {
    file,
    raw,
    apiHost: typeof api.host === 'string' ? api.host : '127.0.0.1',
    apiPort: typeof api.port === 'number' ? api.port : 6385,
    discoverdUrl,
    dataDir: typeof database.data_dir === 'string' ? database.data_dir : '.data/conductor',
  };
}

/** The port a URL names, or its scheme's default. */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * The configuration file the conductor gets: the original when nothing differs from it, else a copy with
 * the API port, discoverd's URL and the data directory replaced, written into `workDir`.
 */
export async function effectiveConfigFile(
  config: DemoConductorConfig,
  actual: { apiPort: number; discoverdUrl: string; dataDir: string },
  workDir: string,
): Promise<string> {
  const same =
    actual.apiPort === config.apiPort &&
    actual.discoverdUrl === config.discoverdUrl.href.replace(/\/$/, '') &&
    actual.dataDir === config.dataDir;
  if (same) return config.file;
  const raw = structuredClone(config.raw) as Record<string, Record<string, unknown>>;
  raw.api = { ...(raw.api ?? {}), port: actual.apiPort };
  raw.database = { ...(raw.database ?? {}), data_dir: actual.dataDir };
  const drivers = raw.drivers as { options: Record<string, Record<string, unknown>> };
  drivers.options.discoverd = { ...drivers.options.discoverd, discoverd_url: actual.discoverdUrl };
  await mkdir(workDir, { recursive: true });
  const file = join(workDir, 'conductor.json');
  await writeFile(file, `${JSON.stringify(raw, null, 2)}\n`);
  return file;
}

/**
 * Gives the demo an empty database: a data directory under the demo's own `.data/` is removed (it holds
 * a previous run), any other one must be empty or absent. `memory://` needs nothing.
 */
export async function prepareDataDir(dataDir: string, conductorCwd: string): Promise<void> {
  if (dataDir.startsWith('memory://')) return;
  const path = resolve(conductorCwd, dataDir);
  const fromDemo = relative(join(conductorCwd, '.data'), path);
  if (fromDemo !== '' && !fromDemo.startsWith('..') && !isAbsolute(fromDemo)) {
    await rm(path, { recursive: true, force: true });
    return;
  }
  const entries = await readdir(path).catch(() => []);
  if (entries.length > 0) {
    throw new DemoConfigError(
      dataDir,
      `the data directory ${path} is not empty; the demo starts from an empty database (use a new directory)`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
