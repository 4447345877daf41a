import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { settle } from '@ironic/periodic-core';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentBusy, AgentClient, AgentError, type AgentStatus, AgentUnreachable } from '../src/index.js';
import { IMAGE, IpaLab } from './ipa-lab.js';

/** An agent stand-in that holds every request until the test releases it. */
class HeldServer {
  readonly held: ServerResponse[] = [];
  private constructor(readonly server: Server) {}
  static async start(): Promise<HeldServer> {
    const server = createServer();
    const held = new HeldServer(server);
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => held.held.push(response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return held;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  releaseOne(): void {
    const response = this.held.shift();
    response?.writeHead(200, { 'content-type': 'application/json' });
    response?.end(JSON.stringify({ started_at: 1767225600, version: '9.4.0' }));
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 2_000 && !check(); turn++) await settle(1);
  expect(check()).toBe(true);
}

describe('AgentClient request bound and timeouts', () => {
  let held: HeldServer;
  let http: Agent;
  beforeEach(async () => {
    held = await HeldServer.start();
    http = new Agent({ connections: 50 });
  });
  afterEach(async () => {
    await held.close();
    await http.close();
  });

  it('never has more than max_concurrent_requests agent calls open', async () => {
    const client = new AgentClient({ http, maxConcurrentRequests: 2, requestTimeoutMs: 10_000 });
    const results: AgentStatus[] = [];
    const calls = Array.from({ length: 5 }, () => client.getStatus(held.url).then((s) => results.push(s)));
    await until(() => held.held.length === 2);
    await settle(50);
    expect(held.held.length).toBe(2);
    held.releaseOne();
    await until(() => results.length === 1 && held.held.length === 2);
    for (let i = 0; i < 4; i++) {
      await until(() => held.held.length > 0);
      held.releaseOne();
    }
    await Promise.all(calls);
    expect(results).toHaveLength(5);
    expect(results[0]).toEqual({ started_at: 1767225600, version: '9.4.0' });
  });

  it('gives up on an agent that does not answer in time', async () => {
    // The client's own timeout is far beyond the test's deadline: only the call's 150 ms can end it.
    const client = new AgentClient({ http, maxConcurrentRequests: 2, requestTimeoutMs: 3_600_000 });
    await expect(client.getStatus(held.url, 150)).rejects.toBeInstanceOf(AgentUnreachable);
  });

  it('reports a refused connection as AgentUnreachable', async () => {
    const url = held.url;
    await held.close();
    const client = new AgentClient({ http, maxConcurrentRequests: 1, requestTimeoutMs: 1_000 });
    await expect(client.getStatus(url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a bad maxConcurrentRequests', () => {
    expect(() => new AgentClient({ http, maxConcurrentRequests: 0, requestTimeoutMs: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('AgentClient against a simulated agent', () => {
  let lab: IpaLab;
  beforeEach(async () => {
    lab = await IpaLab.start();
  });
  afterEach(async () => {
    await lab.close();
  });

  it('maps agent faults to typed errors', async () => {
    const machine = await lab.addMachine({ powerOn: true, instance_info: IMAGE });
    await lab.advanceUntil(async () => machine.agent.heartbeats > 0, 60_000);
    const client = lab.deploy.client;
    const node = await lab.node(machine.uuid);

    const unknown = client.executeCommand(node, 'standby.levitate', {}, { wait: true });
    await expect(unknown).rejects.toBeInstanceOf(AgentError);
    await expect(unknown).rejects.toMatchObject({
      status: 400,
      faultstring: expect.stringContaining('Unknown command'),
    });

    const wrongToken = {
      ...node,
      driver_internal_info: { ...node.driver_internal_info, agent_secret_token: 'nope' },
    };
    await expect(client.executeCommand(wrongToken, 'standby.sync', {}, { wait: true })).rejects.toMatchObject(
      {
        status: 401,
        faultstring: expect.stringContaining('Token invalid.'),
      },
    );

    machine.agent.hangCommand('standby.prepare_image');
    const running = await client.executeCommand(
      node,
      'standby.prepare_image',
      { image_info: { id: 'a', urls: ['http://127.0.0.1:1/a'] } },
      { wait: false },
    );
    expect(running.command_status).toBe('RUNNING');
    await expect(client.executeCommand(node, 'standby.sync', {}, { wait: true })).rejects.toBeInstanceOf(
      AgentBusy,
    );
    // GETs carry no token, as Ironic's do.
    expect(await client.getLastCommandStatus(node, 'standby.prepare_image')).toMatchObject({
      command_name: 'prepare_image',
      command_status: 'RUNNING',
    });
  });
});
