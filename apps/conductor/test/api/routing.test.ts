import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { resource } from '../../src/api/routing.js';

describe('resource(): a path with its methods, as Ironic serves it', () => {
  it('answers with and without a trailing slash, and 405 with Allow for the other methods', async () => {
    const app = Fastify();
    resource(app, '/things/:id', { GET: { args: ['fields'], handler: async () => ({ ok: true }) } });
    await app.ready();
    expect((await app.inject({ url: '/things/1' })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/things/1/?fields=a' })).json()).toEqual({ ok: true });
    const wrong = await app.inject({ method: 'DELETE', url: '/things/1/' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    await app.close();
  });

  it('registers each path once where Fastify already ignores trailing slashes', async () => {
    const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    resource(app, '/things', { GET: { handler: async () => ({ ok: true }) } });
    await app.ready();
    expect((await app.inject({ url: '/things/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/things' })).statusCode).toBe(405);
    await app.close();
  });
});
