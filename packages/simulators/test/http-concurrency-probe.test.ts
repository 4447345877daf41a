import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpConcurrencyProbe } from '../src/index.js';

describe('HttpConcurrencyProbe', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('sees the requests a client has in flight at once, and each one end, answered or failed', async () => {
    const held: ServerResponse[] = [];
    let arrived: () => void = () => undefined;
    const server = createServer((req, res) => {
      if (req.url === '/reset') {
        req.socket.destroy();
        return;
      }
      held.push(res);
      if (held.length === 3) arrived();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const probe = new HttpConcurrencyProbe();
    cleanups.push(() => probe.stop());

    const allArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const answers = [1, 2, 3].map((i) => request(`${base}/hold/${i}`).then((r) => r.body.text()));
    await allArrived;
    expect(probe.inFlight).toBe(3);
    let idle = false;
    const becameIdle = probe.idle().then(() => {
      idle = true;
    });
    for (const res of held.slice(0, 2)) res.end('ok');
    await Promise.all(answers.slice(0, 2));
    expect(idle).toBe(false);
    held[2]?.end('ok');
    await becameIdle;
    expect(probe.inFlight).toBe(0);
    await probe.idle();
    expect(await Promise.all(answers)).toEqual(['ok', 'ok', 'ok']);
    await expect(request(`${base}/reset`)).rejects.toThrow();

    expect(probe.peak).toBe(3);
    expect(probe.total).toBe(4);
    expect(probe.inFlight).toBe(0);
  });

  it('stops counting once stopped', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const probe = new HttpConcurrencyProbe();
    await (await request(base)).body.text();
    probe.stop();
    await (await request(base)).body.text();
    expect(probe.total).toBe(1);
  });

  it('counts only the requests to the origins it is given', async () => {
    const servers = await Promise.all(
      [0, 1].map(async () => {
        const server = createServer((_req, res) => res.end('ok'));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }),
    );
    const [watched, other] = servers as [string, string];
    const probe = new HttpConcurrencyProbe({ origins: [`${watched}/some/path`] });
    cleanups.push(() => probe.stop());
    await Promise.all([watched, other, other].map(async (base) => (await request(base)).body.text()));
    expect(probe.total).toBe(1);
    expect(probe.peak).toBe(1);
    expect(probe.inFlight).toBe(0);
  });
});
