import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/api/json-body.js';
import { faultstring } from '../support/api-client.js';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';
import { POSTGRES_URL, postgresReachable } from '../support/test-databases.js';

const HEADERS = { 'x-openstack-ironic-api-version': '1.82', 'content-type': 'application/json' };

function deeplyNested(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

const postgresUp = await postgresReachable();

// Each store: what PostgreSQL refuses to store must be a 400 before it gets there, on either.
describe.each([
  ['the embedded PGlite', false],
  ['PostgreSQL', true],
] as const)('hostile input on %s', (_name, onPostgres) => {
  let t: TestConductor;
  beforeAll(async () => {
    if (onPostgres && !postgresUp) return;
    t = await startTestConductor(
      onPostgres
        ? { database: { url: POSTGRES_URL, schema: `hostile_${randomBytes(6).toString('hex')}` } }
        : {},
    );
    await t.conductor.repository.create({ driver: 'test-hardware', name: 'target' });
  });
  afterAll(async () => {
    await t?.conductor.stop();
  });

  const send = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: string, contentType?: string) =>
    t.conductor.api.inject({
      method,
      url,
      headers: { ...HEADERS, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload === undefined ? {} : { payload }),
    });

  it.skipIf(onPostgres && !postgresUp)(
    'refuses JSON nested 10,000 deep with a 400 naming the limit',
    async () => {
      const created = await send(
        'POST',
        '/v1/nodes',
        `{"driver":"test-hardware","extra":{"a":${deeplyNested(10_000)}}}`,
      );
      expect(created.statusCode).toBe(400);
      expect(faultOf(created.body).faultcode).toBe('Client');
      expect(faultstring(created)).toBe(
        `The request body nests arrays and objects 10002 levels deep; at most ${MAX_JSON_DEPTH} are allowed`,
      );
      const patched = await send(
        'PATCH',
        '/v1/nodes/target',
        `[{"op":"add","path":"/extra/a","value":${deeplyNested(10_000)}}]`,
      );
      expect(patched.statusCode).toBe(400);
      expect(faultstring(patched)).toContain(`at most ${MAX_JSON_DEPTH} are allowed`);
      // Brackets inside strings are text, not nesting.
      const brackets = await send(
        'POST',
        '/v1/nodes',
        JSON.stringify({ driver: 'test-hardware', extra: { a: '['.repeat(500) } }),
      );
      expect(brackets.statusCode).toBe(201);
    },
  );

  it.skipIf(onPostgres && !postgresUp)(
    'refuses NUL characters and lone surrogates in values and keys, naming the field',
    async () => {
      const cases: [string, string][] = [
        [
          '{"driver":"test-hardware","extra":{"a":"a\\u0000b"}}',
          'Invalid value of field "extra.a": it contains a NUL character (\\u0000)',
        ],
        [
          '{"driver":"test-hardware","extra":{"a\\u0000":"b"}}',
          'Invalid key "a\\u0000" in "extra": it contains a NUL character (\\u0000)',
        ],
        [
          '{"driver":"test-hardware","extra":{"a":"\\ud800"}}',
          'Invalid value of field "extra.a": it contains a lone UTF-16 surrogate (\\ud800)',
        ],
        [
          '{"driver":"test-hardware","properties":{"list":["ok","\\udc00x"]}}',
          'Invalid value of field "properties.list[1]": it contains a lone UTF-16 surrogate (\\udc00)',
        ],
      ];
      for (const [payload, message] of cases) {
        const response = await send('POST', '/v1/nodes', payload);
        expect(response.statusCode, payload).toBe(400);
        expect(faultstring(response)).toBe(message);
      }
      const patched = await send(
        'PATCH',
        '/v1/nodes/target',
        '[{"op":"add","path":"/extra/x","value":"\\u0000"}]',
      );
      expect(patched.statusCode).toBe(400);
      expect(faultstring(patched)).toBe(
        'Invalid value of field "[0].value": it contains a NUL character (\\u0000)',
      );
      // A surrogate pair is a real character and is stored.
      const emoji = await send(
        'PATCH',
        '/v1/nodes/target',
        '[{"op":"add","path":"/extra/x","value":"\\ud83d\\ude00"}]',
      );
      expect(emoji.statusCode).toBe(200);
      expect(emoji.json().extra.x).toBe('😀');
    },
  );

  it.skipIf(onPostgres && !postgresUp)(
    'refuses %00 in a URL path or query with a 400 naming the argument',
    async () => {
      const path = await send('GET', '/v1/ports/a%00b');
      expect(path.statusCode).toBe(400);
      expect(faultstring(path)).toBe(
        'Invalid URL path segment "uuid": it contains a NUL character (\\u0000)',
      );
      const query = await send('GET', '/v1/nodes?driver=a%00b');
      expect(query.statusCode).toBe(400);
      expect(faultstring(query)).toBe(
        'Invalid query argument "driver": it contains a NUL character (\\u0000)',
      );
      const malformed = await send('GET', '/v1/nodes/%E0%A4%A');
      expect(malformed.statusCode).toBe(400);
      expect(faultOf(malformed.body).faultcode).toBe('Client');
    },
  );

  it.skipIf(onPostgres && !postgresUp)(
    'refuses a __proto__ key, in a body and as a PATCH path, saying why',
    async () => {
      const created = await send(
        'POST',
        '/v1/nodes',
        '{"driver":"test-hardware","extra":{"__proto__":{"x":1}}}',
      );
      expect(created.statusCode).toBe(400);
      expect(faultstring(created)).toBe(
        'The key "__proto__" (in "extra") is not allowed: it names the prototype of JavaScript objects',
      );
      const patched = await send(
        'PATCH',
        '/v1/nodes/target',
        '[{"op":"add","path":"/extra/__proto__","value":{"x":1}}]',
      );
      expect(patched.statusCode).toBe(400);
      expect(faultstring(patched)).toContain('the member name "__proto__" is not allowed');
      const node = await send('GET', '/v1/nodes/target');
      expect(node.json().extra).not.toHaveProperty('__proto__');
    },
  );

  it.skipIf(onPostgres && !postgresUp)('answers JSON sent as text/plain with 415', async () => {
    const response = await send('POST', '/v1/nodes', '{"driver":"test-hardware"}', 'text/plain');
    expect(response.statusCode).toBe(415);
    expect(faultstring(response)).toBe('Unsupported Content-Type "text/plain": send application/json');
  });
});

describe('requests Node refuses before routing', () => {
  let t: TestConductor;
  let port: number;
  beforeAll(async () => {
    t = await startTestConductor({ api: { port: 0 } });
    await t.conductor.api.listen({ host: '127.0.0.1', port: 0 });
    port = (t.conductor.api.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await t.conductor.stop();
  });

  it("answers headers too large with 431 and Ironic's error body", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.write(`GET /v1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    expect(faultOf(body)).toEqual({
      faultcode: 'Client',
      faultstring: 'Request header fields too large',
      debuginfo: null,
    });
  });
});
