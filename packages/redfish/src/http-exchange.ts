import type { Dispatcher } from 'undici';
import { BmcUnreachable, RequestAborted } from './errors.js';

/** What came back, before any Redfish meaning is given to it. */
export interface RawReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** One HTTP request. */
export interface Exchange {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The whole exchange (headers and body) must end within this. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

function flatten(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  const base = error.message || error.name;
  const withCode = typeof code === 'string' && !base.includes(code) ? `${base} (${code})` : base;
  return cause instanceof Error && cause.message && !withCode.includes(cause.message)
    ? `${withCode}: ${cause.message}`
    : withCode;
}

/**
 * Sends one request over `dispatcher` (a BMC's pool) and reads the whole answer. Rejects with
 * `BmcUnreachable` when the connection fails or `timeoutMs` passes, `RequestAborted` when `signal` fires.
 */
export async function exchange(dispatcher: Dispatcher, origin: string, request: Exchange): Promise<RawReply> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    if (request.signal?.aborted) throw request.signal.reason;
    const response = await dispatcher.request({
      origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: controller.signal,
      // undici's own deadlines are a backstop; the timer above is the precise one.
      headersTimeout: request.timeoutMs + 1_000,
      bodyTimeout: request.timeoutMs + 1_000,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: flatten(response.headers), text };
  } catch (error) {
    if (request.signal?.aborted && !timedOut) {
      throw new RequestAborted(`Redfish ${request.method} ${request.path} on the BMC at ${origin}`, {
        cause: request.signal.reason,
      });
    }
    if (timedOut) {
      throw new BmcUnreachable(origin, `no answer within ${request.timeoutMs / 1000} s`, true, {
        cause: error,
      });
    }
    throw new BmcUnreachable(origin, describe(error), false, { cause: error });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}
