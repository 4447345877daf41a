import type { Clock } from '../src/discoverd/index.js';
import { type IronicApiStandIn, type StandInNode, startIronicApiStandIn } from '../src/ironic/index.js';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start = Date.parse('2026-03-01T08:00:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** One HTTP exchange as a test sees it. */
export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** Sends a real request over loopback and reads the whole answer. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: isJson && text !== '' ? JSON.parse(text) : undefined,
  };
}

export const NODE_A = 'c244557e-899f-46fa-a1ff-5b2c6718616b';
export const NODE_B = '05ccda19-581b-49bf-8f5a-6ded99701d87';
export const NODE_C = '9f1e2d3c-4b5a-4697-8877-66554433aa11';

/** A stand-in Ironic API whose nodes a test adds and removes; NODE_A, B and C exist, `manageable`. */
export class TestIronic {
  private constructor(
    private readonly standIn: IronicApiStandIn,
    readonly nodes: Map<string, StandInNode>,
  ) {}

  static async start(uuids: readonly string[] = [NODE_A, NODE_B, NODE_C]): Promise<TestIronic> {
    const nodes = new Map<string, StandInNode>();
    const standIn = await startIronicApiStandIn({
      get: (ident) =>
        nodes.get(ident.toLowerCase()) ?? [...nodes.values()].find((node) => node.name === ident),
      list: () => [...nodes.values()],
    });
    const ironic = new TestIronic(standIn, nodes);
    for (const uuid of uuids) ironic.add(uuid);
    return ironic;
  }

  get url(): string {
    return this.standIn.url;
  }

  /** Requests the stand-in served, per route. */
  get requests(): Readonly<Record<string, number>> {
    return this.standIn.requests;
  }

  add(uuid: string, provisionState = 'manageable', name: string | null = null): void {
    this.nodes.set(uuid.toLowerCase(), { uuid, name, provision_state: provisionState });
  }

  remove(uuid: string): void {
    this.nodes.delete(uuid.toLowerCase());
  }

  close(): Promise<void> {
    return this.standIn.close();
  }
}
