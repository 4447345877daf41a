// Test peers of the IPA simulator: a tiny Ironic API on real loopback, a manual clock, and an HTTP helper
// that opens a fresh connection per request (so a closed agent shows as ECONNREFUSED).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake Ironic received. */
export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A node the fake Ironic knows. */
export interface FakeNode {
  readonly uuid: string;
  readonly macs: readonly string[];
}

/**
 * Ironic's agent-facing API as the reference README describes it: `GET /`, `GET /v1/lookup`,
 * `POST /v1/heartbeat/{node}` — token handed out on the first lookup only, 202 on a good heartbeat,
 * 400 on a bad token, version headers on every answer.
 */
export class FakeIronic {
  readonly requests: SeenRequest[] = [];
  /** `default_version.version` in `GET /`. */
  defaultVersion = '1.82';
  /** Status `GET /` answers with. */
  rootStatus = 200;
  /** Statuses the next lookups answer with before answering normally. */
  readonly lookupFailures: number[] = [];
  /** When set, heartbeats answer with this status instead of checking them. */
  heartbeatStatus: number | null = null;
  heartbeatTimeout = 100;
  private readonly tokens = new Map<string, { token: string; handedOut: boolean }>();

  private constructor(
    private readonly server: Server,
    private readonly nodes: readonly FakeNode[],
  ) {}

  static async start(nodes: readonly FakeNode[]): Promise<FakeIronic> {
    const server = createServer();
    const ironic = new FakeIronic(server, nodes);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const seen: SeenRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', 'http://ironic'),
          headers: req.headers,
          body: text ? JSON.parse(text) : undefined,
        };
        ironic.requests.push(seen);
        const [status, body] = ironic.answer(seen);
        const payload = body === undefined ? '' : JSON.stringify(body);
        res.writeHead(status, {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          'x-openstack-ironic-api-minimum-version': '1.1',
          'x-openstack-ironic-api-maximum-version': '1.82',
        });
        res.end(payload);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return ironic;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to this path, in order. */
  seen(method: string, pathPrefix: string): SeenRequest[] {
    return this.requests.filter((r) => r.method === method && r.url.pathname.startsWith(pathPrefix));
  }

  get lookups(): SeenRequest[] {
    return this.seen('GET', '/v1/lookup');
  }

  get heartbeats(): SeenRequest[] {
    return this.seen('POST', '/v1/heartbeat/');
  }

  /** The token Ironic issued for this node, if any. */
  tokenOf(uuid: string): string | undefined {
    return this.tokens.get(uuid)?.token;
  }

  /** A power action wipes the token, as Ironic does. */
  wipeToken(uuid: string): void {
    this.tokens.delete(uuid);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: SeenRequest): [number, unknown] {
    if (req.method === 'GET' && req.url.pathname === '/') {
      if (this.rootStatus !== 200) return [this.rootStatus, error('boom')];
      const version = {
        id: 'v1',
        links: [{ href: `${this.url}/v1/`, rel: 'self' }],
        min_version: '1.1',
        status: 'CURRENT',
        version: this.defaultVersion,
      };
      return [
        200,
        { name: 'OpenStack Ironic API', description: 'fake', default_version: version, versions: [version] },
      ];
    }
    if (req.method === 'GET' && req.url.pathname === '/v1/lookup') {
      const failure = this.lookupFailures.shift();
      if (failure !== undefined) return [failure, error('Node could not be found.')];
      const addresses = req.url.searchParams.get('addresses')?.split(',') ?? [];
      const uuid = req.url.searchParams.get('node_uuid');
      const node = this.nodes.find((n) => n.uuid === uuid || n.macs.some((mac) => addresses.includes(mac)));
      if (!node) return [404, error('Node could not be found.')];
      let entry = this.tokens.get(node.uuid);
      if (!entry) {
        entry = { token: randomBytes(32).toString('base64url'), handedOut: false };
        this.tokens.set(node.uuid, entry);
      }
      const token = entry.handedOut ? '******' : entry.token;
      entry.handedOut = true;
      return [
        200,
        {
          node: {
            uuid: node.uuid,
            properties: {},
            instance_info: {},
            driver_internal_info: {},
            links: [{ href: `${this.url}/v1/nodes/${node.uuid}`, rel: 'self' }],
          },
          config: {
            heartbeat_timeout: this.heartbeatTimeout,
            agent_token: token,
            agent_token_required: true,
            metrics: { backend: 'noop' },
          },
        },
      ];
    }
    const heartbeat = /^\/v1\/heartbeat\/([^/]+)$/.exec(req.url.pathname);
    if (req.method === 'POST' && heartbeat) {
      if (this.heartbeatStatus !== null) return [this.heartbeatStatus, error('scripted failure')];
      const uuid = decodeURIComponent(heartbeat[1] ?? '');
      const entry = this.tokens.get(uuid);
      if (!entry) return [404, error(`Node ${uuid} could not be found.`)];
      const body = req.body as Record<string, unknown>;
      if (body.agent_token !== entry.token) return [400, error('Invalid or missing agent token received.')];
      return [202, undefined];
    }
    return [404, error('not found')];
  }
}

function error(faultstring: string) {
  return { error_message: JSON.stringify({ faultcode: 'Client', faultstring, debuginfo: null }) };
}

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock {
  private time = 1_700_000_000_000;
  private sequence = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    this.sequence += 1;
    this.timers.set(this.sequence, { at: this.time + Math.max(0, delayMs), callback });
    return this.sequence;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** When the earliest waiting timer fires, if any. */
  nextAt(): number | undefined {
    const times = [...this.timers.values()].map((t) => t.at);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = target;
  }
}

/** An HTTP answer from an agent. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** One request on a fresh connection; rejects with the socket error (e.g. ECONNREFUSED). */
export function http(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      url,
      { method, agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Resolves with the next event's arguments. */
export async function nextEvent<T extends unknown[]>(
  emitter: { once(event: string, listener: (...args: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => {
    emitter.once(event, (...args: T) => resolve(args));
  });
}
