import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Options of `createLogger`. */
export interface LoggerOptions {
  level: pino.LevelWithSilent;
  /** Human-readable lines instead of JSON. Default: when stdout is a terminal. */
  pretty?: boolean | undefined;
}

/** The conductor's logger: JSON lines by default, pino-pretty on a terminal or when asked. */
export function createLogger(options: LoggerOptions): Logger {
  const readable = options.pretty ?? process.stdout.isTTY === true;
  if (!readable) return pino({ level: options.level, base: { service: 'ironic-conductor' } });
  return pino({ level: options.level }, pretty({ colorize: process.stdout.isTTY === true, sync: true }));
}
