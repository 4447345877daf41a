import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { maskUrlCredentials } from '../../src/secrets/url-credentials.js';
import { apiClient } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

describe('maskUrlCredentials', () => {
  it('masks the password of every URL in a text, keeping the user', () => {
    expect(maskUrlCredentials('http://root:secret@host')).toBe('http://root:***@host');
    expect(maskUrlCredentials('GET https://a:b@10.0.0.1:443/redfish/v1 failed; then http://c:d@e/')).toBe(
      'GET https://a:***@10.0.0.1:443/redfish/v1 failed; then http://c:***@e/',
    );
    expect(maskUrlCredentials('{"url":"http://u:p%40ss@h"}')).toBe('{"url":"http://u:***@h"}');
    // Unescaped `@` and `/` in a password: nothing of it is shown.
    expect(maskUrlCredentials('http://u:p@ss@h/x')).toBe('http://u:***@h/x');
    expect(maskUrlCredentials('postgres://u:pa/ss@db:5432/ironic')).toBe('postgres://u:***@db:5432/ironic');
    expect(maskUrlCredentials('http://host:8080/path and user@example.com')).toBe(
      'http://host:8080/path and user@example.com',
    );
  });
});

describe('credentials in URLs through the API', () => {
  let t: TestConductor;
  const api = apiClient(() => t.conductor.api);
  beforeAll(async () => {
    t = await startTestConductor();
  });
  afterAll(async () => {
    await t.conductor.stop();
  });

  it('shows driver_info URLs with the password masked, as Ironic masks *_password', async () => {
    const created = await api.post('/v1/nodes', {
      driver: 'test-hardware',
      name: 'bmc-url',
      driver_info: { redfish_address: 'http://root:secret@host', redfish_password: 'calvin' },
    });
    expect(created.statusCode).toBe(201);
    for (const response of [created, await api.get('/v1/nodes/bmc-url')]) {
      expect(response.json().driver_info).toEqual({
        redfish_address: 'http://root:***@host',
        redfish_password: '******',
      });
      expect(response.body).not.toContain('secret');
    }
    const listed = await api.get('/v1/nodes?detail=true');
    expect(listed.body).not.toContain('secret');
  });

  it('stores and shows last_error with URL passwords masked', async () => {
    const node = await t.conductor.repository.create({ driver: 'test-hardware', name: 'failing' });
    await t.conductor.nodes.withTask(node.uuid, { purpose: 'test' }, async (task) => {
      await task.upgradeLock();
      await task.save({ last_error: 'Redfish at http://root:secret@10.0.0.9/redfish/v1 answered 500' });
    });
    const stored = await t.conductor.nodes.get(node.uuid);
    expect(stored.last_error).toBe('Redfish at http://root:***@10.0.0.9/redfish/v1 answered 500');
    const states = await api.get('/v1/nodes/failing/states');
    expect(states.json().last_error).toBe('Redfish at http://root:***@10.0.0.9/redfish/v1 answered 500');
  });
});

describe('the JSON log lines', () => {
  it('carry each key once and no URL password', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (line) => lines.push(line) },
    });
    const nodeLogger = logger.child({ node: 'n-1' });
    nodeLogger.error(
      { node: 'n-1', err: new Error('fetch http://root:secret@bmc/redfish/v1 failed') },
      'request to http://admin:hunter2@bmc failed',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line.match(/"node":/g)).toHaveLength(1);
    expect(line).not.toContain(':secret@');
    expect(line).not.toContain('hunter2');
    const record = JSON.parse(line);
    expect(record).toMatchObject({ node: 'n-1', msg: 'request to http://admin:***@bmc failed' });
    expect(record.err.message).toBe('fetch http://root:***@bmc/redfish/v1 failed');
  });
});
