import type { Logger } from 'pino';

/** What `installShutdownHandlers` stops. */
export interface Stoppable {
  stop(options?: { timeout?: number }): Promise<void>;
}

/** Options of `installShutdownHandlers`. */
export interface ShutdownOptions {
  logger: Logger;
  /** Milliseconds the graceful stop may take. */
  timeout: number;
  /** How the process ends. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Where signals come from. Default `process`. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT stops gracefully, then exits 0 (1 when stopping failed); a second signal exits
 * at once with 130. Returns a function that removes the handlers.
 */
export function installShutdownHandlers(target: Stoppable, options: ShutdownOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? process;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      exit(130);
      return;
    }
    stopping = true;
    options.logger.info({ signal, timeout: options.timeout }, 'shutting down');
    target.stop({ timeout: options.timeout }).then(
      () => exit(0),
      (error: unknown) => {
        options.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of SIGNALS) signals.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) signals.off(signal, onSignal);
  };
}
