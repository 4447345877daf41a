// The board against a real local HTTP server that answers `GET /v1/nodes` as the conductor does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IronicClient, type NodeState } from '../src/ironic-client.js';
import { NodeBoard, NodeWaitTimedOut } from '../src/node-board.js';

const UUID = '7d2c4c36-3f0e-4d8e-9f3b-0c5b9f6f2a11';

function node(provision_state: string, reservation: string | null = null): NodeState {
  return {
    uuid: UUID,
    name: 'node-1',
    driver: 'drac',
    provision_state,
    target_provision_state: null,
    reservation,
    last_error: null,
  };
}

describe('NodeBoard', () => {
  let server: Server;
  let client: IronicClient;
  let board: NodeBoard | undefined;
  let current: NodeState[] = [];
  let polls = 0;
  let onPoll: () => void = () => undefined;

  beforeEach(async () => {
    polls = 0;
    server = createServer((request, response) => {
      polls++;
      onPoll();
      if (!request.url?.startsWith('/v1/nodes?')) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ nodes: current }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new IronicClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterEach(async () => {
    await board?.stop();
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    onPoll = () => undefined;
  });

  it('waits until the node is in a wanted state with no reservation', async () => {
    current = [node('verifying', 'conductor-1')];
    board = new NodeBoard(client, { intervalMs: 10 });
    board.start();
    const settled = board.waitFor(UUID, ['manageable', 'enroll'], 60_000);
    onPoll = () => {
      if (polls === 3) current = [node('manageable', 'conductor-1')]; // state reached, lock still held
      if (polls === 6) current = [node('manageable')];
    };
    await expect(settled).resolves.toMatchObject({ provision_state: 'manageable', reservation: null });
    expect(polls).toBeGreaterThanOrEqual(6);
  });

  it('does not trust a poll that started before the wait', async () => {
    current = [node('manageable')];
    board = new NodeBoard(client, { intervalMs: 10_000 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first poll is answered only after the wait began, with the state from before the request.
    const slowServer = server.listeners('request')[0] as (...args: unknown[]) => void;
    server.removeAllListeners('request');
    server.on('request', (request, response) => {
      if (polls === 0) held.then(() => slowServer(request, response));
      else slowServer(request, response);
    });
    const first = board.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = board.waitFor(UUID, ['manageable'], 300);
    release(); // answers `manageable`: the state from before the request the wait follows
    expect(await first).toEqual([node('manageable')]);
    await expect(waiting).rejects.toThrow(NodeWaitTimedOut);
  });

  it('times out naming the node, what it waited for and where it is', async () => {
    current = [node('clean wait')];
    board = new NodeBoard(client, { intervalMs: 10 });
    board.start();
    await expect(board.waitFor(UUID, ['manageable', 'clean failed'], 200)).rejects.toThrow(
      'node node-1 did not reach manageable or clean failed within 0.2 s (last seen in "clean wait")',
    );
  });
});
