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

/** A UTF-8 byte order mark, dropped from a body as `Response.text()` drops it. */
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Collects one answer straight from undici's dispatcher (no response stream, no `AbortController`: a
 * Redfish body is small and read whole, and those cost more than the exchange itself at a fleet's rate).
 * Settles once, when the answer is complete or the request failed.
 */
class ReplyCollector implements Dispatcher.DispatchHandlers {
  status = 0;
  headers: Record<string, string> = {};
  readonly #chunks: Buffer[] = [];
  #abort: ((reason?: Error) => void) | undefined;
  #reason: Error | undefined;
  #settled = false;

  constructor(
    readonly resolve: (reply: RawReply) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** Gives the request up: now if it is on its connection, else as soon as it gets there. */
  cancel(reason: Error): void {
    if (this.#settled || this.#reason) return;
    this.#reason = reason;
    this.#abort?.(reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#reason) abort(this.#reason);
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    // 1xx answers are informational: the final one follows.
    if (statusCode < 200) return true;
    this.status = statusCode;
    const headers: Record<string, string> = {};
    if (rawHeaders) {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = (rawHeaders[i] as Buffer | string).toString('latin1').toLowerCase();
        const value = (rawHeaders[i + 1] as Buffer | string).toString('utf8');
        const earlier = headers[name];
        headers[name] = earlier === undefined ? value : `${earlier}, ${value}`;
      }
    }
    this.headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settled = true;
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const start = body[0] === BOM[0] && body[1] === BOM[1] && body[2] === BOM[2] ? 3 : 0;
    this.resolve({ status: this.status, headers: this.headers, text: body.toString('utf8', start) });
  }

  onError(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.reject(error);
  }
}

/**
 * Sends one request over `dispatcher` (a BMC's connections) and reads the whole answer. Rejects with
 * `BmcUnreachable` when the connection fails or `timeoutMs` passes, `RequestAborted` when `signal` fires.
 */
export async function exchange(dispatcher: Dispatcher, origin: string, request: Exchange): Promise<RawReply> {
  const { signal } = request;
  if (signal?.aborted) {
    throw new RequestAborted(`Redfish ${request.method} ${request.path} on the BMC at ${origin}`, {
      cause: signal.reason,
    });
  }
  let timedOut = false;
  let collector: ReplyCollector | undefined;
  const reply = new Promise<RawReply>((resolve, reject) => {
    collector = new ReplyCollector(resolve, reject);
  });
  const handler = collector as ReplyCollector;
  const timer = setTimeout(() => {
    timedOut = true;
    handler.cancel(new Error(`no answer within ${request.timeoutMs} ms`));
  }, request.timeoutMs);
  const onCallerAbort = () => handler.cancel(signal?.reason ?? new Error('aborted'));
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    dispatcher.dispatch(
      {
        origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        // undici's own deadlines are a backstop; the timer above is the precise one.
        headersTimeout: request.timeoutMs + 1_000,
        bodyTimeout: request.timeoutMs + 1_000,
      },
      handler,
    );
    return await reply;
  } catch (error) {
    if (signal?.aborted && !timedOut) {
      throw new RequestAborted(`Redfish ${request.method} ${request.path} on the BMC at ${origin}`, {
        cause: signal.reason,
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
    signal?.removeEventListener('abort', onCallerAbort);
  }
}
