/** A clock tests move by hand (`time` is epoch ms). */
export class FakeClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** One answer of a simulated BMC. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

/** iDRAC's factory credentials as a Basic header. */
export const ROOT_CALVIN = `Basic ${Buffer.from('root:calvin').toString('base64')}`;

/** One request to a BMC, as `root:calvin` unless `headers` say otherwise; `raw` replaces the JSON body. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: { raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const sending = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: ROOT_CALVIN,
      ...(sending === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    body: sending,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
}
