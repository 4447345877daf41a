import type { Clock } from '../src/discoverd/index.js';

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
