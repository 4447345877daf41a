// Reads the Dockerfile and the systemd unit the way their runtimes do, so a test can run the very commands
// they name against a bundle (there is no Docker engine nor systemd as PID 1 where the tests run).

/** The instructions of a Dockerfile that say how its container runs. */
export interface DockerRecipe {
  readonly from: string;
  readonly env: Readonly<Record<string, string>>;
  readonly workdir: string | undefined;
  readonly user: string | undefined;
  /** `[source, destination]` of each COPY. */
  readonly copies: readonly (readonly [string, string])[];
  readonly runs: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** The HEALTHCHECK's command (exec form), if any. */
  readonly healthcheck: readonly string[] | undefined;
  readonly stopSignal: string | undefined;
  readonly expose: readonly string[];
}

function instructions(text: string): [string, string][] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.search(/\s/);
      return [line.slice(0, space).toUpperCase(), line.slice(space + 1).trim()];
    });
}

function execForm(value: string, where: string): string[] {
  const parsed = JSON.parse(value) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string'))
    throw new Error(`${where} is not in exec form (a JSON array of strings): ${value}`);
  return parsed;
}

/** Parses a Dockerfile's instructions (the subset ours uses; anything else is an error to look at). */
export function parseDockerfile(text: string): DockerRecipe {
  let from = '';
  const env: Record<string, string> = {};
  let workdir: string | undefined;
  let user: string | undefined;
  const copies: [string, string][] = [];
  const runs: string[] = [];
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  let healthcheck: string[] | undefined;
  let stopSignal: string | undefined;
  const expose: string[] = [];
  for (const [keyword, value] of instructions(text)) {
    switch (keyword) {
      case 'FROM':
        from = value;
        break;
      case 'ENV':
        for (const pair of value.split(/\s+/)) {
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new Error(`ENV ${value}: use KEY=value pairs`);
          env[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        break;
      case 'WORKDIR':
        workdir = value;
        break;
      case 'USER':
        user = value;
        break;
      case 'COPY': {
        const parts = value.split(/\s+/).filter((part) => !part.startsWith('--'));
        copies.push([parts[0]!, parts[1]!]);
        break;
      }
      case 'RUN':
        runs.push(value);
        break;
      case 'ENTRYPOINT':
        entrypoint = execForm(value, 'ENTRYPOINT');
        break;
      case 'CMD':
        cmd = execForm(value, 'CMD');
        break;
      case 'HEALTHCHECK': {
        const at = value.indexOf('CMD ');
        healthcheck = at < 0 ? undefined : execForm(value.slice(at + 4).trim(), 'HEALTHCHECK CMD');
        break;
      }
      case 'STOPSIGNAL':
        stopSignal = value;
        break;
      case 'EXPOSE':
        expose.push(...value.split(/\s+/));
        break;
      case 'VOLUME':
        break;
      default:
        throw new Error(`Dockerfile instruction ${keyword} is not understood by this test: teach it`);
    }
  }
  return { from, env, workdir, user, copies, runs, entrypoint, cmd, healthcheck, stopSignal, expose };
}

/** The `[Service]` settings of a systemd unit (a setting given twice keeps every value). */
export function parseUnit(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    const key = `${section}.${line.slice(0, eq).trim()}`;
    settings.set(key, [...(settings.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return settings;
}
