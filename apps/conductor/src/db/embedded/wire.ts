// The few parts of PostgreSQL's wire protocol (v3) the embedded server handles itself: framing what
// clients send, the startup exchange, and finding ReadyForQuery in what the engine answers. Everything
// else passes through to PGlite untouched.

/** Protocol 3.0, in a StartupMessage. */
export const PROTOCOL_3 = 196_608;
/** Special request codes sent in place of a protocol version. */
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;

/** Type bytes of the frontend and backend messages the server looks at. */
export const TERMINATE = 0x58; // 'X'
export const SYNC = 0x53; // 'S'
const READY_FOR_QUERY = 0x5a; // 'Z'

/** A message sent before the session starts: a startup message or a special request. */
export interface UntypedMessage {
  readonly kind: 'untyped';
  /** The protocol version, or one of the request codes. */
  readonly code: number;
  /** The bytes after the code. */
  readonly body: Buffer;
}

/** A regular frontend message, whole (type byte and length included), as PGlite takes it. */
export interface TypedMessage {
  readonly kind: 'typed';
  readonly type: number;
  readonly bytes: Buffer;
}

/** A declared message length beyond this is a broken or hostile client, not a real query. */
const MAX_MESSAGE_BYTES = 1 << 30;

/** Thrown for bytes that are not PostgreSQL protocol. */
export class ProtocolViolation extends Error {
  override readonly name = 'ProtocolViolation';
}

/**
 * Cuts a client's byte stream into whole messages. Until the session starts, messages have no type
 * byte (a length, then a code); after that, a type byte then a length.
 */
export class FrontendFramer {
  #buffer: Buffer = Buffer.alloc(0);
  #started = false;

  /** Marks the session started: from now on every message has a type byte. */
  startSession(): void {
    this.#started = true;
  }

  /** Adds received bytes and returns the messages now complete. */
  push(chunk: Buffer): (UntypedMessage | TypedMessage)[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const messages: (UntypedMessage | TypedMessage)[] = [];
    let offset = 0;
    for (;;) {
      const message = this.#started ? this.#typedAt(offset) : this.#untypedAt(offset);
      if (!message) break;
      messages.push(message.message);
      offset = message.end;
      // A startup message switches the framing for whatever follows it in the same chunk.
      if (message.message.kind === 'untyped' && message.message.code === PROTOCOL_3) this.#started = true;
    }
    this.#buffer = offset === this.#buffer.length ? Buffer.alloc(0) : this.#buffer.subarray(offset);
    return messages;
  }

  #untypedAt(offset: number): { message: UntypedMessage; end: number } | undefined {
    if (this.#buffer.length - offset < 8) return undefined;
    const length = this.#buffer.readInt32BE(offset);
    if (length < 8 || length > 10_000) throw new ProtocolViolation(`invalid startup packet length ${length}`);
    if (this.#buffer.length - offset < length) return undefined;
    const code = this.#buffer.readInt32BE(offset + 4);
    const body = Buffer.from(this.#buffer.subarray(offset + 8, offset + length));
    return { message: { kind: 'untyped', code, body }, end: offset + length };
  }

  #typedAt(offset: number): { message: TypedMessage; end: number } | undefined {
    if (this.#buffer.length - offset < 5) return undefined;
    const length = this.#buffer.readInt32BE(offset + 1);
    if (length < 4 || length > MAX_MESSAGE_BYTES)
      throw new ProtocolViolation(`invalid message length ${length}`);
    const end = offset + 1 + length;
    if (this.#buffer.length < end) return undefined;
    const type = this.#buffer[offset] as number;
    return { message: { kind: 'typed', type, bytes: Buffer.from(this.#buffer.subarray(offset, end)) }, end };
  }
}

/** The name/value pairs of a StartupMessage body (`user`, `database`, `options`, ...). */
export function startupParameters(body: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  const parts = body.toString('utf8').split('\0');
  for (let index = 0; index + 1 < parts.length; index += 2) {
    const name = parts[index] as string;
    if (name === '') break;
    parameters.set(name, parts[index + 1] as string);
  }
  return parameters;
}

/**
 * The settings in a startup `options` parameter (`-c name=value` and `--name=value`, as libpq and
 * node-postgres send them; `\ ` escapes a space).
 */
export function settingsFromOptions(options: string): Map<string, string> {
  const words = options
    .trim()
    .split(/(?<!\\)\s+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/\\(.)/g, '$1'));
  const settings = new Map<string, string>();
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    let assignment: string | undefined;
    if (word === '-c') assignment = words[++index];
    else if (word.startsWith('-c')) assignment = word.slice(2);
    else if (word.startsWith('--')) assignment = word.slice(2);
    const equals = assignment?.indexOf('=') ?? -1;
    if (assignment === undefined || equals <= 0) {
      throw new ProtocolViolation(`unsupported startup option ${JSON.stringify(word)}`);
    }
    settings.set(assignment.slice(0, equals).replace(/-/g, '_'), assignment.slice(equals + 1));
  }
  return settings;
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cstring(value: string): Buffer {
  return Buffer.from(`${value}\0`, 'utf8');
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

/** AuthenticationOk: the embedded server trusts whoever can reach its private socket. */
export function authenticationOk(): Buffer {
  return message('R', int32(0));
}

export function parameterStatus(name: string, value: string): Buffer {
  return message('S', Buffer.concat([cstring(name), cstring(value)]));
}

export function backendKeyData(processId: number, secret: number): Buffer {
  return message('K', Buffer.concat([int32(processId), int32(secret)]));
}

/** ReadyForQuery with status `I` (idle), `T` (in a transaction) or `E` (in a failed transaction). */
export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return message('Z', Buffer.from(status, 'latin1'));
}

/** An ErrorResponse with the fields clients show: severity, SQLSTATE and message. */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  return message(
    'E',
    Buffer.concat([
      cstring(`S${severity}`),
      cstring(`V${severity}`),
      cstring(`C${code}`),
      cstring(`M${text}`),
      Buffer.from([0]),
    ]),
  );
}

/** A simple Query message. */
export function simpleQuery(text: string): Buffer {
  return message('Q', cstring(text));
}

/** A Sync message: ends an extended-protocol exchange (and an error's skipping). */
export function syncMessage(): Buffer {
  return message('S', Buffer.alloc(0));
}

/**
 * Follows the engine's answer across chunks to know the transaction status of its last ReadyForQuery,
 * and whether an ErrorResponse came, without copying the messages.
 */
export class BackendTracker {
  /** Status byte of the last ReadyForQuery seen (`I`, `T` or `E`), or undefined since `reset()`. */
  lastStatus: string | undefined;
  /** The text of the first ErrorResponse since `reset()`, if any. */
  firstError: string | undefined;
  #header = Buffer.alloc(5);
  #headerBytes = 0;
  #remaining = 0;
  #type = 0;
  #body: Buffer[] = [];
  #keepBody = false;

  reset(): void {
    this.lastStatus = undefined;
    this.firstError = undefined;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#remaining === 0 && this.#headerBytes < 5) {
        const take = Math.min(5 - this.#headerBytes, chunk.length - offset);
        this.#header.set(chunk.subarray(offset, offset + take), this.#headerBytes);
        this.#headerBytes += take;
        offset += take;
        if (this.#headerBytes < 5) return;
        this.#type = this.#header[0] as number;
        this.#remaining = this.#header.readInt32BE(1) - 4;
        this.#keepBody = this.#type === READY_FOR_QUERY || (this.#type === 0x45 && !this.firstError);
        this.#body = [];
        if (this.#remaining === 0) this.#finish();
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - offset);
      if (this.#keepBody) this.#body.push(Buffer.from(chunk.subarray(offset, offset + take)));
      this.#remaining -= take;
      offset += take;
      if (this.#remaining === 0) this.#finish();
    }
  }

  #finish(): void {
    const body = this.#keepBody ? Buffer.concat(this.#body) : undefined;
    if (this.#type === READY_FOR_QUERY && body) this.lastStatus = String.fromCharCode(body[0] as number);
    if (this.#type === 0x45 && body) this.firstError = errorText(body);
    this.#headerBytes = 0;
    this.#body = [];
  }
}

/** The message field of an ErrorResponse body (fields are a type byte and a C string each). */
function errorText(body: Buffer): string {
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const field = body[offset] as number;
    const end = body.indexOf(0, offset + 1);
    if (end < 0) break;
    if (field === 0x4d) return body.toString('utf8', offset + 1, end);
    offset = end + 1;
  }
  return 'unknown error';
}
