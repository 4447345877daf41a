// A real conductor (the embedded database, the real driver packages, the real Fastify API) on one fake
// clock, driven only through its Ironic HTTP API, for the fleet tests.
import { randomBytes } from 'node:crypto';
import {
  type Conductor,
  type ConductorConfigInput,
  createConductor,
  createDatabase,
  defineConfig,
  type EmbeddedServer,
  startEmbeddedServer,
} from '@ironic/conductor';
import type { ManualClock } from '@ironic/periodic-core';
import { HttpConcurrencyProbe } from '@ironic/simulators';
import pino from 'pino';

/**
 * The tests' embedded database, one per vitest worker, started on first use: each fleet conductor gets a
 * fresh schema in it (milliseconds) instead of a fresh PGlite (a second and hundreds of MB).
 */
let embedded: Promise<EmbeddedServer> | undefined;
/** Schemas of this file's conductors not dropped yet. */
const liveSchemas = new Set<string>();

async function freshSchema(): Promise<{ url: string; schema: string }> {
  embedded ??= startEmbeddedServer({ dataDir: 'memory://', maintenanceIntervalMs: 0 });
  const schema = `fleet_${randomBytes(6).toString('hex')}`;
  liveSchemas.add(schema);
  return { url: (await embedded).url, schema };
}

async function dropSchema(schema: string): Promise<void> {
  if (!embedded || !liveSchemas.delete(schema)) return;
  const database = await createDatabase({ url: (await embedded).url, poolSize: 1 });
  try {
    await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
  } finally {
    await database.close();
  }
}

/**
 * Drops the schemas of the current test file's conductors that are left (a failed test's too). Run after
 * each file by `file-hooks.ts`: files share a worker's modules, and the embedded server lives as long as
 * the worker.
 */
export async function dropFleetSchemas(): Promise<void> {
  for (const schema of [...liveSchemas]) await dropSchema(schema);
}

/** The microversion the tests speak (the conductor's newest). */
export const FLEET_API_VERSION = '1.82';

/** The fields of `GET /v1/nodes/detail` the fleet tests read. */
export interface FleetNode {
  uuid: string;
  name: string | null;
  driver: string;
  provision_state: string;
  target_provision_state: string | null;
  power_state: string | null;
  last_error: string | null;
  reservation: string | null;
  properties: Record<string, unknown>;
  driver_internal_info: Record<string, unknown>;
  instance_info: Record<string, unknown>;
  raid_config: { logical_disks?: Record<string, unknown>[]; last_updated?: string };
  target_raid_config: Record<string, unknown>;
}

/** An answer of the API: the status and the parsed JSON body (undefined when empty). */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** One JSON log line the conductor wrote at `warn` or above. */
export interface FleetLogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** Options of {@link FleetConductor.start}. */
export interface FleetConductorOptions {
  /** The one fake clock shared with the simulators. */
  clock: ManualClock;
  /** Driver packages to enable, by package name. */
  drivers: readonly string[];
  /** Each driver's options, by driver name. */
  driverOptions: Record<string, unknown>;
  /** Listen on 127.0.0.1 (a free port) for clients that make real HTTP calls, such as ramdisk agents. */
  listen?: boolean;
  /** The conductor's `agent` section (lookup's heartbeat timeout, fast track). */
  agent?: ConductorConfigInput['agent'];
}

/**
 * A started conductor seen through its API: requests go through `api.inject`, time moves only with
 * {@link advance}, and every step waits for the periodic worker and the API's background actions.
 */
export class FleetConductor {
  private constructor(
    readonly conductor: Conductor,
    readonly clock: ManualClock,
    /** The API's root URL when listening, else undefined. */
    readonly url: string | undefined,
    /** What the conductor logged at `warn` or above. */
    readonly logs: FleetLogEntry[],
    /** Its schema in the file's embedded database. */
    private readonly schema: string,
    /** Every undici request of this process, to wait for the I/O a step started. */
    private readonly requests: HttpConcurrencyProbe,
  ) {}

  /** Creates and starts a conductor with the given drivers on a fresh schema of the embedded database. */
  static async start(options: FleetConductorOptions): Promise<FleetConductor> {
    const { url, schema } = await freshSchema();
    const logs: FleetLogEntry[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => logs.push(JSON.parse(line) as FleetLogEntry) },
    );
    const config = defineConfig({
      conductor: { id: 'fleet-conductor', host: 'fleet-host' },
      api: { host: '127.0.0.1', port: 0 },
      database: { url, schema },
      drivers: { enabled: [...options.drivers], options: options.driverOptions },
      ...(options.agent ? { agent: options.agent } : {}),
      log: { level: 'warn' },
    });
    const conductor = await createConductor(config, { clock: options.clock, logger });
    const { address } = await conductor.start({ listen: options.listen ?? false });
    return new FleetConductor(conductor, options.clock, address, logs, schema, new HttpConcurrencyProbe());
  }

  /** Sends one request to the API, with the microversion header. */
  async request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown) {
    const response = await this.conductor.api.inject({
      method,
      url: path,
      headers: { 'X-OpenStack-Ironic-API-Version': FLEET_API_VERSION },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const parsed = response.body === '' ? undefined : (JSON.parse(response.body) as T);
    return { status: response.statusCode, body: parsed as T } satisfies ApiAnswer<T>;
  }

  /** `POST /v1/nodes`; fails the test unless the API answers 201. */
  async createNode(body: Record<string, unknown>): Promise<FleetNode> {
    const answer = await this.request<FleetNode>('POST', '/v1/nodes', body);
    expectStatus(answer, 201, `POST /v1/nodes ${JSON.stringify(body.name ?? '')}`);
    return answer.body;
  }

  /** `PUT /v1/nodes/{id}/states/provision`; fails the test unless the API answers 202. */
  async provision(ident: string, body: Record<string, unknown>): Promise<void> {
    const answer = await this.request('PUT', `/v1/nodes/${ident}/states/provision`, body);
    expectStatus(answer, 202, `provision ${JSON.stringify(body.target)} of ${ident}`);
  }

  /** `PUT /v1/nodes/{id}/states/raid`; fails the test unless the API answers 204. */
  async setTargetRaidConfig(ident: string, config: Record<string, unknown>): Promise<void> {
    const answer = await this.request('PUT', `/v1/nodes/${ident}/states/raid`, config);
    expectStatus(answer, 204, `target RAID config of ${ident}`);
  }

  /** `GET /v1/nodes/{id}`. */
  async node(ident: string): Promise<FleetNode> {
    const answer = await this.request<FleetNode>('GET', `/v1/nodes/${ident}`);
    expectStatus(answer, 200, `GET /v1/nodes/${ident}`);
    return answer.body;
  }

  /** Every node, from `GET /v1/nodes/detail` (one page holds up to 1,000). */
  async nodes(): Promise<FleetNode[]> {
    const answer = await this.request<{ nodes: FleetNode[]; next?: string }>('GET', '/v1/nodes/detail');
    expectStatus(answer, 200, 'GET /v1/nodes/detail');
    if (answer.body.next !== undefined) throw new Error('more than one page of nodes: page through them');
    return answer.body.nodes;
  }

  /** How many nodes are in each provision state (one light listing: just the states). */
  async stateCounts(): Promise<Record<string, number>> {
    const answer = await this.request<{ nodes: Pick<FleetNode, 'provision_state'>[]; next?: string }>(
      'GET',
      '/v1/nodes?fields=provision_state',
    );
    expectStatus(answer, 200, 'GET /v1/nodes?fields=provision_state');
    if (answer.body.next !== undefined) throw new Error('more than one page of nodes: page through them');
    const counts: Record<string, number> = {};
    for (const node of answer.body.nodes) {
      counts[node.provision_state] = (counts[node.provision_state] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * Waits until no periodic run, no background action (a 202's long part, a heartbeat) and no HTTP
   * request of this process (a driver's call to a simulator, an agent's heartbeat) is running: what a
   * step of the fake clock started has ended, however long its real I/O took.
   */
  async settle(): Promise<void> {
    const { worker, background } = this.conductor;
    const quiet = () => background.size === 0 && this.requests.inFlight === 0;
    while (true) {
      await worker.idle();
      await background.settled();
      await this.requests.idle();
      if (quiet()) {
        await worker.idle();
        if (quiet()) return;
      }
    }
  }

  /**
   * Moves the fake clock by `ms` one due timer at a time, waiting for what each one started before the
   * next fires, as real time would: one jump over several heartbeat periods would leave the conductor's
   * own heartbeat stale, and a fenced conductor visits no node.
   */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (let at = this.clock.nextTimerAt; at !== undefined && at <= target; at = this.clock.nextTimerAt) {
      await this.clock.advanceTo(at);
      await this.settle();
    }
    await this.clock.advanceTo(target);
    await this.settle();
  }

  /**
   * Moves the fake clock `stepMs` at a time until `done()` holds; returns the fake time that took.
   * Rejects once more than `limitMs` of fake time passed without it.
   */
  async advanceUntil(
    done: () => Promise<boolean> | boolean,
    options: { stepMs: number; limitMs: number },
  ): Promise<number> {
    await this.settle();
    for (let elapsed = 0; ; elapsed += options.stepMs) {
      if (await done()) return elapsed;
      if (elapsed >= options.limitMs) {
        throw new Error(`condition not reached within ${options.limitMs} ms of fake time`);
      }
      await this.advance(options.stepMs);
    }
  }

  /** The background actions that failed with an unexpected error (each one is a conductor bug). */
  backgroundFailures(): FleetLogEntry[] {
    return this.logs.filter((entry) => entry.msg === 'background work failed');
  }

  /** Stops the conductor (its worker, API and database connections) and drops its schema. */
  async close(): Promise<void> {
    this.requests.stop();
    try {
      await this.conductor.stop({ timeout: 10_000 });
    } finally {
      await dropSchema(this.schema);
    }
  }
}

/** The `faultstring` of an Ironic error body. */
export function faultString(body: unknown): string {
  const message = (body as { error_message?: unknown } | undefined)?.error_message;
  if (typeof message !== 'string') throw new Error(`not an Ironic error body: ${JSON.stringify(body)}`);
  return (JSON.parse(message) as { faultstring: string }).faultstring;
}

function expectStatus(answer: ApiAnswer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}
