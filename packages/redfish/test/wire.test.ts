import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishConnector } from '../src/index.js';

let server: Server;
let address: string;
let connector: RedfishConnector;
beforeEach(async () => {
  // A bare HTTP server: what a BMC may send that the simulated iDRAC never does.
  server = createServer((request, response) => {
    if (request.url === '/redfish/v1/Bom') {
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Id":"Bom","Name":"é"}')]));
      return;
    }
    if (request.url === '/redfish/v1/Chunked') {
      response.writeHead(200, [
        ['Content-Type', 'application/json'],
        ['Link', '</redfish/v1/a>'],
        ['Link', '</redfish/v1/b>'],
      ]);
      response.write('{"Id":');
      setImmediate(() => response.end('"Chunked"}'));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  connector = new RedfishConnector();
});
afterEach(async () => {
  await connector.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('the wire', () => {
  it('reads a body with a UTF-8 byte order mark as the JSON after it', async () => {
    const resource = await connector.client({ address }).get('/redfish/v1/Bom');
    expect(resource).toEqual({ Id: 'Bom', Name: 'é' });
  });

  it('reads a body sent in several chunks, and joins repeated headers as HTTP does', async () => {
    const reply = await connector.client({ address }).request('GET', '/redfish/v1/Chunked');
    expect(reply.body).toEqual({ Id: 'Chunked' });
    expect(reply.headers).toMatchObject({
      'content-type': 'application/json',
      link: '</redfish/v1/a>, </redfish/v1/b>',
    });
  });
});
