import { type Level, type Logger, pino } from 'pino';

/** A promise with its settle functions, to hold an async task open for as long as a test needs. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A real pino logger writing parsed JSON lines into `lines`. */
export function capturingLogger(level: Level = 'debug'): {
  logger: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Stops a worker driven by a ManualClock, moving fake time on until its runs in flight have finished. */
export async function stopOnManualClock(
  worker: { stop(): Promise<void>; readonly state: string },
  clock: { runNext(): Promise<boolean>; settle(): Promise<void> },
): Promise<void> {
  const stopped = worker.stop();
  for (let i = 0; i < 1_000 && worker.state !== 'stopped'; i++) {
    if (!(await clock.runNext())) await clock.settle();
  }
  await stopped;
}
