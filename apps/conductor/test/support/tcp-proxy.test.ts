import { connect, createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy } from './tcp-proxy.js';

/** One round trip through the proxy: the echo of `text`, or the error that ended the connection. */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}

describe('TcpProxy', () => {
  let echo: Server;
  let proxy: TcpProxy;
  beforeEach(async () => {
    echo = createServer((socket) => {
      socket.on('error', () => undefined); // the proxy resets it when cut
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const address = echo.address() as { port: number };
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: address.port });
  });
  afterEach(async () => {
    await proxy.stop();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it('forwards, refuses while cut, and forwards again once restored', async () => {
    expect(await roundTrip(proxy.port, 'one')).toBe('one');
    proxy.cut();
    await expect(roundTrip(proxy.port, 'two')).rejects.toMatchObject({ code: 'ECONNRESET' });
    proxy.restore();
    expect(await roundTrip(proxy.port, 'three')).toBe('three');
  });

  it('resets the connections open when it is cut', async () => {
    const socket = connect(proxy.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<string | undefined>((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      socket.once('close', () => resolve(undefined));
    });
    socket.write('hello');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    proxy.cut();
    expect(await closed).toBe('ECONNRESET');
  });

  it('rewrites a URL to go through it', () => {
    expect(proxy.rewrite('postgres://postgres@db.example:5432/test')).toBe(
      `postgres://postgres@127.0.0.1:${proxy.port}/test`,
    );
  });
});
