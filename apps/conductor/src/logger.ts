import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { maskUrlCredentials } from './secrets/url-credentials.js';

/** Options of `createLogger`. */
export interface LoggerOptions {
  level: pino.LevelWithSilent;
  /** Human-readable lines instead of JSON. Default: when stdout is a terminal. */
  pretty?: boolean | undefined;
  /** Where the lines go. Default: stdout. */
  destination?: { write(line: string): unknown };
}

/**
 * The conductor's logger: JSON lines by default, pino-pretty on a terminal or when asked. Every line
 * has the passwords of URLs masked (`http://root:***@host`), and each key once: a field bound to a child
 * logger (`node`) and given again in a call is written once, with the call's value.
 */
export function createLogger(options: LoggerOptions): Logger {
  const readable = options.pretty ?? process.stdout.isTTY === true;
  const target: { write(line: string): unknown } = readable
    ? pretty({ colorize: process.stdout.isTTY === true, sync: true })
    : (options.destination ?? process.stdout);
  const destination = sanitizingDestination(target);
  if (!readable) return pino({ level: options.level, base: { service: 'ironic-conductor' } }, destination);
  return pino({ level: options.level }, destination);
}

/** A destination that writes each line to `target` with duplicate keys merged and credentials masked. */
export function sanitizingDestination(target: { write(line: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      target.write(maskUrlCredentials(withoutDuplicateKeys(line)));
    },
  };
}

/**
 * A JSON line with each key once. Pino writes a child's bindings and a call's fields side by side, so
 * `{"node":"a",...,"node":"a"}` can happen; parsing keeps the last value at the first key's place.
 */
function withoutDuplicateKeys(line: string): string {
  try {
    return `${JSON.stringify(JSON.parse(line))}\n`;
  } catch {
    return line;
  }
}
