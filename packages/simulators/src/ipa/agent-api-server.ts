import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AgentFault } from './agent-fault.js';
import type { CommandRunner } from './command-runner.js';

/** What the API serves from: the running agent. */
export interface AgentApiHost {
  status(): { started_at: number; version: string };
  /** IPA's `validate_agent_token`. */
  validateToken(token: string | null): boolean;
  readonly commands: CommandRunner;
}

const NOT_FOUND =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const MEDIA_TYPE = 'application/vnd.openstack.ironic-python-agent.v1+json';
const DOCS_URL = 'https://docs.openstack.org/ironic-python-agent';

/**
 * IPA's agent API (ironic_python_agent/api/app.py) on 127.0.0.1: status, command list / lookup / run.
 * Closing it destroys every socket, so callers see connections reset or refused, as with a dead agent.
 */
export class AgentApiServer {
  /** Once a GET carried a token, IPA demands one on every GET of this boot. */
  private tokenRequiredOnGets = false;

  private constructor(
    private readonly server: Server,
    /** The port it listens on. */
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1, on `preferredPort` if it is free (a rebooted machine keeps its address). */
  static async listen(host: AgentApiHost, preferredPort: number | null): Promise<AgentApiServer> {
    const server = createServer();
    server.keepAliveTimeout = 5000;
    let api: AgentApiServer | null = null;
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (api) api.handle(host, request, response);
    });
    const port = await bind(server, preferredPort).catch(() => bind(server, 0));
    api = new AgentApiServer(server, port);
    return api;
  }

  /** The agent's `callback_url`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * The agent process died on a machine that is still up: every connection, open or new, is reset. The
   * port stays taken until `close()`, so no other server can answer in the dead agent's place.
   */
  resetAll(): void {
    this.server.on('connection', (socket: Socket) => socket.resetAndDestroy());
    this.server.closeAllConnections();
  }

  /** Stops listening and drops every connection, answered or not. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(host: AgentApiHost, request: IncomingMessage, response: ServerResponse): void {
    this.route(host, request, response).catch((error: unknown) => {
      const fault = error instanceof AgentFault ? error : new AgentFault(500, String(error));
      send(response, fault.status, fault.body());
    });
  }

  private async route(host: AgentApiHost, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://agent');
    const path = url.pathname.replace(/^\/v1(?=\/|$)/, '') || '/';
    const versioned = url.pathname.startsWith('/v1');
    const method = request.method ?? 'GET';
    const root = `http://${request.headers.host ?? '127.0.0.1'}`;

    if (url.pathname === '/' || (versioned && path === '/')) {
      if (method !== 'GET') throw AgentFault.http(405, 'The method is not allowed for the requested URL.');
      send(response, 200, url.pathname === '/' ? apiRoot(root) : apiV1(root));
      return;
    }
    if (path === '/status') {
      if (method !== 'GET') throw AgentFault.http(405, 'The method is not allowed for the requested URL.');
      send(response, 200, host.status());
      return;
    }
    if (path === '/commands' || path === '/commands/') {
      if (method === 'GET') {
        this.checkGetToken(host, url);
        send(response, 200, { commands: host.commands.list() });
        return;
      }
      if (method === 'POST') {
        await this.runCommand(host, url, request, response);
        return;
      }
      throw AgentFault.http(405, 'The method is not allowed for the requested URL.');
    }
    const commandId = /^\/commands\/([^/]+)$/.exec(path)?.[1];
    if (commandId !== undefined) {
      if (method !== 'GET') throw AgentFault.http(405, 'The method is not allowed for the requested URL.');
      this.checkGetToken(host, url);
      const record = host.commands.get(decodeURIComponent(commandId));
      if (!record) throw AgentFault.rest(404, 'Not found', `Command Result with id ${commandId} not found.`);
      if (url.searchParams.get('wait')?.toLowerCase() === 'true') await record.done;
      send(response, 200, record.serialize());
      return;
    }
    throw AgentFault.http(404, NOT_FOUND);
  }

  private checkGetToken(host: AgentApiHost, url: URL): void {
    const token = url.searchParams.get('agent_token');
    if (token) this.tokenRequiredOnGets = true;
    if (this.tokenRequiredOnGets && !host.validateToken(token)) throw AgentFault.http(401, 'Token invalid.');
  }

  private async runCommand(
    host: AgentApiHost,
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw AgentFault.http(400, `Failed to decode JSON object: ${(error as Error).message}`);
    }
    const command = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const { name, params } = command;
    if (typeof name !== 'string' || typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw AgentFault.http(400, 'Missing or invalid name or params');
    }
    if (!host.validateToken(url.searchParams.get('agent_token'))) {
      throw AgentFault.http(401, 'Token invalid.');
    }
    const execution = host.commands.execute(name, params as Record<string, unknown>);
    // A hung synchronous command never answers; closing the server drops this request.
    if (execution.kind === 'blocked') return;
    const { record, afterResponse } = execution;
    // Under a shutdown command the machine goes down: there is nothing to wait for.
    if (!afterResponse && url.searchParams.get('wait')?.toLowerCase() === 'true') await record.done;
    if (afterResponse) response.once('finish', () => setImmediate(afterResponse));
    send(response, 200, record.serialize());
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function bind(server: Server, port: number | null): Promise<number> {
  if (port === null) return Promise.reject(new Error('no preferred port'));
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function version(root: string) {
  return {
    id: 'v1',
    links: [
      { href: `${root}/v1`, rel: 'self' },
      { href: DOCS_URL, rel: 'describedby', type: 'text/html' },
    ],
  };
}

function apiRoot(root: string) {
  return {
    name: 'OpenStack Ironic Python Agent API',
    description: 'Ironic Python Agent is a provisioning agent for OpenStack Ironic',
    versions: [version(root)],
    default_version: version(root),
  };
}

function apiV1(root: string) {
  return {
    commands: [
      { href: `${root}/v1/commands`, rel: 'self' },
      { href: `${root}/commands`, rel: 'bookmark' },
    ],
    status: [
      { href: `${root}/v1/status`, rel: 'self' },
      { href: `${root}/status`, rel: 'bookmark' },
    ],
    media_types: [{ base: 'application/json', type: MEDIA_TYPE }],
    ...version(root),
  };
}
