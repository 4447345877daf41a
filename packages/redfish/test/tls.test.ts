// A BMC serving HTTPS with a self-signed certificate, as an iDRAC does out of the box: refused by default,
// accepted with verify false, or with the certificate given as the CA bundle to check against.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BmcUnreachable, RedfishConnector } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const CA = fixture('bmc-cert.pem');

let server: Server;
let address: string;
const connector = new RedfishConnector({ requestTimeoutMs: 10_000 });

beforeAll(async () => {
  server = createServer(
    { key: readFileSync(fixture('bmc-key.pem')), cert: readFileSync(CA) },
    (request, response) => {
      request.resume();
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ '@odata.id': '/redfish/v1', Id: 'RootService' }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await connector.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('TLS verification', () => {
  it('refuses a self-signed certificate by default', async () => {
    const error = await connector
      .client({ address })
      .serviceRoot()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BmcUnreachable);
    expect((error as Error).message).toMatch(/self[- ]signed certificate/i);
  });

  it('accepts it with verify false, or checked against the CA bundle given', async () => {
    expect((await connector.client({ address, verify: false }).serviceRoot()).Id).toBe('RootService');
    expect((await connector.client({ address, verify: CA }).serviceRoot()).Id).toBe('RootService');
    // Each setting has its own pool: a pool that skips checks is never used for one that must check.
    expect(connector.stats.pools).toBe(3);
  });
});
