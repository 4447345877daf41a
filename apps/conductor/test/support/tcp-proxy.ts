import { connect, createServer, type Server, type Socket } from 'node:net';

/** Where a {@link TcpProxy} forwards to. */
export interface TcpProxyTarget {
  host: string;
  port: number;
}

/**
 * A TCP proxy between the code under test and a server (the test PostgreSQL), so a test can cut the
 * server away and bring it back at a moment of its choosing, deterministically, without touching the
 * server itself (which other tests share).
 *
 * - `cut()`: every open connection is reset and new ones are refused (as a server that went away).
 * - `blackhole()`: new connections are accepted but nothing is forwarded (as a host that stopped answering).
 * - `restore()`: connections are forwarded again.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #target: TcpProxyTarget;
  readonly #sockets = new Set<Socket>();
  #mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  #port = 0;

  private constructor(target: TcpProxyTarget) {
    this.#target = target;
    this.#server = createServer((client) => this.#accept(client));
  }

  /** Starts a proxy on 127.0.0.1 (an ephemeral port) to `target`. */
  static async start(target: TcpProxyTarget): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
    proxy.#port = address.port;
    return proxy;
  }

  /** The proxy's port on 127.0.0.1. */
  get port(): number {
    return this.#port;
  }

  /** Connections open through the proxy now (both sides counted once). */
  get connections(): number {
    return this.#sockets.size / 2;
  }

  /** `url` with its host and port replaced by the proxy's (e.g. a PostgreSQL URL). */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.#port);
    return parsed.toString();
  }

  /** Resets every open connection and refuses new ones until {@link restore}. */
  cut(): void {
    this.#mode = 'refuse';
    this.#destroyAll();
  }

  /** Resets every open connection; new ones are accepted and then hang until {@link restore}. */
  blackhole(): void {
    this.#mode = 'blackhole';
    this.#destroyAll();
  }

  /** Forwards new connections again. */
  restore(): void {
    this.#mode = 'forward';
  }

  /** Closes the proxy and every connection through it. */
  async stop(): Promise<void> {
    this.#destroyAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    this.#track(client);
    if (this.#mode === 'blackhole') return;
    const upstream = connect(this.#target.port, this.#target.host);
    this.#track(upstream);
    // Either side closing or failing ends the pair, as a real connection would.
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  #destroyAll(): void {
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
  }
}
