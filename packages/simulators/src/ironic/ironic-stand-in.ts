import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The fields of an Ironic node that services looking nodes up in Ironic read. */
export interface StandInNode {
  readonly uuid: string;
  readonly name?: string | null;
  readonly provision_state: string;
  readonly driver?: string;
}

/** Where the stand-in finds its nodes: a test's own store (a driver harness's repository, a list). */
export interface StandInNodeSource {
  /** The node with this UUID or name, if any. */
  get(ident: string): Promise<StandInNode | undefined> | StandInNode | undefined;
  /** Every node. */
  list(): Promise<readonly StandInNode[]> | readonly StandInNode[];
}

/** A running stand-in Ironic API. */
export interface IronicApiStandIn extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:40123`; the API lives under `${url}/v1`. */
  readonly url: string;
  /** Requests served, per method and route (`GET /v1/nodes/{ident}`, `GET /v1/nodes`). */
  readonly requests: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

const MIN_VERSION = '1.1';
const MAX_VERSION = '1.82';

function send(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'X-OpenStack-Ironic-API-Minimum-Version': MIN_VERSION,
    'X-OpenStack-Ironic-API-Maximum-Version': MAX_VERSION,
    'X-OpenStack-Ironic-API-Version': MAX_VERSION,
  });
  response.end(payload);
}

/** Ironic's error body: `error_message` is a JSON string of `{faultcode, faultstring, debuginfo}`. */
function sendError(response: ServerResponse, status: number, faultstring: string): void {
  send(response, status, {
    error_message: JSON.stringify({ faultcode: 'Client', faultstring, debuginfo: null }),
  });
}

function view(node: StandInNode, base: string): Record<string, unknown> {
  return {
    uuid: node.uuid,
    name: node.name ?? null,
    provision_state: node.provision_state,
    driver: node.driver ?? 'fake-hardware',
    links: [{ href: `${base}/v1/nodes/${node.uuid}`, rel: 'self' }],
  };
}

/**
 * A stand-in for the part of Ironic's API that services look nodes up in (`GET /v1/nodes/{uuid or
 * name}`, `GET /v1/nodes`), over a test's own node store: what the discoverd simulator asks, as the real
 * ironic-inspector asks Ironic, without running a conductor.
 */
export async function startIronicApiStandIn(source: StandInNodeSource): Promise<IronicApiStandIn> {
  const requests: Record<string, number> = {};
  const count = (route: string) => {
    requests[route] = (requests[route] ?? 0) + 1;
  };
  let base = '';
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://ironic.invalid');
    const path = url.pathname.replace(/\/+$/, '');
    if (request.method === 'GET' && path === '/v1/nodes') {
      count('GET /v1/nodes');
      const nodes = await source.list();
      send(response, 200, { nodes: nodes.map((node) => view(node, base)) });
      return;
    }
    const match = /^\/v1\/nodes\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && match) {
      count('GET /v1/nodes/{ident}');
      const ident = decodeURIComponent(match[1] ?? '');
      const node = await source.get(ident);
      if (!node) sendError(response, 404, `Node ${ident} could not be found.`);
      else send(response, 200, view(node, base));
      return;
    }
    sendError(response, 404, `The resource could not be found.`);
  };
  const server: Server = createServer((request, response) => {
    request.resume();
    serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `Internal error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return {
    url: base,
    get requests() {
      return { ...requests };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
