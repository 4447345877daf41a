// The agent-facing part of Ironic's API, served on real loopback for the simulated agents: `GET /`,
// `GET /v1/lookup` and `POST /v1/heartbeat/{node}`, built on driver-base's lookup and heartbeat checks
// and handing verified heartbeats to the node's deploy interface, as the conductor's routes do.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AgentConfig,
  dispatchHeartbeat,
  InvalidAgentToken,
  InvalidParameterValue,
  lookupNode,
  NodeLocked,
  NodeNotFound,
  type NodeStore,
  parseHeartbeat,
  verifyHeartbeat,
} from '@ironic/driver-base';

const MAX_VERSION = '1.82';

/** One answered agent request, for assertions. */
export interface AnsweredRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A running test Ironic API. */
export interface IronicApiServer {
  readonly url: string;
  readonly answered: readonly AnsweredRequest[];
  close(): Promise<void>;
}

function statusOf(error: unknown): number {
  if (error instanceof NodeNotFound) return 404;
  if (error instanceof NodeLocked) return 409;
  if (error instanceof InvalidAgentToken || error instanceof InvalidParameterValue) return 400;
  return 500;
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(payload ? { 'content-type': 'application/json' } : {}),
    'x-openstack-ironic-api-minimum-version': '1.1',
    'x-openstack-ironic-api-maximum-version': MAX_VERSION,
  });
  response.end(payload);
}

function sendError(response: ServerResponse, error: unknown): number {
  const status = statusOf(error);
  const faultstring = error instanceof Error ? error.message : String(error);
  send(response, status, {
    error_message: JSON.stringify({
      faultcode: status < 500 ? 'Client' : 'Server',
      faultstring,
      debuginfo: null,
    }),
  });
  return status;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidParameterValue('The request body is not JSON.');
  }
}

/** Starts the API on 127.0.0.1 over these nodes; lookups tell agents `config`. */
export async function startIronicApi(nodes: NodeStore, config: AgentConfig): Promise<IronicApiServer> {
  const answered: AnsweredRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://ironic');
    const root = `http://${request.headers.host ?? '127.0.0.1'}`;
    const handle = async (): Promise<number> => {
      if (request.method === 'GET' && url.pathname === '/') {
        const version = {
          id: 'v1',
          links: [{ href: `${root}/v1/`, rel: 'self' }],
          min_version: '1.1',
          status: 'CURRENT',
          version: MAX_VERSION,
        };
        send(response, 200, {
          name: 'OpenStack Ironic API',
          description:
            'Ironic is an OpenStack project which enables the provision and management of baremetal machines.',
          default_version: version,
          versions: [version],
        });
        return 200;
      }
      if (request.method === 'GET' && url.pathname === '/v1/lookup') {
        const addresses = url.searchParams.get('addresses')?.split(',').filter(Boolean);
        const found = await lookupNode(
          nodes,
          { node_uuid: url.searchParams.get('node_uuid') ?? undefined, addresses },
          config,
        );
        const links = [
          { href: `${root}/v1/nodes/${found.node.uuid}`, rel: 'self' },
          { href: `${root}/nodes/${found.node.uuid}`, rel: 'bookmark' },
        ];
        send(response, 200, { node: { ...found.node, links }, config: found.config });
        return 200;
      }
      const heartbeat = /^\/v1\/heartbeat\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'POST' && heartbeat) {
        const body = parseHeartbeat(await readJson(request));
        const node = await nodes.get(decodeURIComponent(heartbeat[1] ?? ''));
        verifyHeartbeat(node, body);
        await dispatchHeartbeat(nodes, node.uuid, body);
        send(response, 202);
        return 202;
      }
      send(response, 404, {
        error_message: JSON.stringify({ faultcode: 'Client', faultstring: 'Not Found', debuginfo: null }),
      });
      return 404;
    };
    handle()
      .catch((error: unknown) => sendError(response, error))
      .then((status) => answered.push({ method: request.method ?? 'GET', path: url.pathname, status }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
