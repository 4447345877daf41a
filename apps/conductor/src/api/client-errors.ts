import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ironicErrorBody } from './ironic-errors.js';

/** Node's HTTP parser errors with their status (as Node's own default answer picks them). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Answers a request Node's HTTP parser refused (headers too large, malformed request line) with
 * Ironic's error body, then closes the connection. A reset or timed-out socket gets nothing.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = STATUS_OF_CODE[error.code ?? ''] ?? 400;
  const body = JSON.stringify(
    ironicErrorBody(status, status === 431 ? 'Request header fields too large' : 'Bad request'),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
