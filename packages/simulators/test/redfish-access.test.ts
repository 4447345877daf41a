import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DuplicateBmcError,
  FleetClosedError,
  InvalidBmcOptionError,
  type RedfishFleet,
  startRedfishFleet,
} from '../src/redfish/index.js';

const SYSTEM = '/redfish/v1/Systems/System.Embedded.1';

let fleet: RedfishFleet;

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function get(
  url: string,
  authorization?: string,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(url, {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function firstMessageId(body: unknown): string | undefined {
  return (body as { error: { '@Message.ExtendedInfo': Array<{ MessageId: string }> } }).error[
    '@Message.ExtendedInfo'
  ][0]?.MessageId;
}

beforeEach(async () => {
  fleet = await startRedfishFleet();
});

afterEach(async () => {
  await fleet.close();
});

describe('HTTP Basic authentication', () => {
  it('answers 401 with a Redfish error body and a Basic challenge on bad or missing credentials', async () => {
    const bmc = await fleet.addBmc({ username: 'admin', password: 's3cret' });
    for (const authorization of [
      basic('admin', 'calvin'),
      basic('root', 's3cret'),
      undefined,
      'Bearer token',
    ]) {
      const answer = await get(`${bmc.url}${SYSTEM}`, authorization);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="RedfishService"');
      expect(firstMessageId(answer.body)).toMatch(/^IDRAC\.2\.\d+\.SYS415$/);
      expect((answer.body as { error: { code: string } }).error.code).toMatch(/GeneralError$/);
    }
    expect((await get(`${bmc.url}${SYSTEM}`, basic('admin', 's3cret'))).status).toBe(200);
  });

  it('lets anyone read the service root, as Redfish requires', async () => {
    const bmc = await fleet.addBmc();
    expect((await get(`${bmc.url}/redfish/v1/`)).status).toBe(200);
    expect((await get(`${bmc.url}/redfish`)).body).toEqual({ v1: '/redfish/v1/' });
  });
});

describe('concurrency limit', () => {
  it('answers 503 over the per-BMC limit and records what it saw', async () => {
    const bmc = await fleet.addBmc({ maxConcurrentRequests: 2, responseDelayMs: 400 });
    const auth = basic(bmc.username, bmc.password);
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(`${bmc.url}${SYSTEM}`, auth)));
    const statuses = answers.map((a) => a.status);
    const rejected = answers.filter((a) => a.status === 503);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const answer of rejected) {
      expect(firstMessageId(answer.body)).toMatch(/^Base\.1\.\d+\.ServiceTemporarilyUnavailable$/);
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    expect(bmc.stats).toMatchObject({ requests: 6, maxConcurrencySeen: 2, rejected503: rejected.length });
  });

  it('records the highest concurrency below the limit', async () => {
    const bmc = await fleet.addBmc({ maxConcurrentRequests: 10, responseDelayMs: 400 });
    const auth = basic(bmc.username, bmc.password);
    const answers = await Promise.all(Array.from({ length: 4 }, () => get(`${bmc.url}${SYSTEM}`, auth)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(bmc.stats).toMatchObject({ requests: 4, maxConcurrencySeen: 4, rejected503: 0 });
    bmc.resetStats();
    expect(bmc.stats).toMatchObject({ requests: 0, maxConcurrencySeen: 0, rejected503: 0 });
  });

  it('frees its slots once requests are answered', async () => {
    const bmc = await fleet.addBmc({ maxConcurrentRequests: 1 });
    const auth = basic(bmc.username, bmc.password);
    for (let i = 0; i < 5; i += 1) {
      expect((await get(`${bmc.url}${SYSTEM}`, auth)).status).toBe(200);
    }
    expect(bmc.stats).toMatchObject({ requests: 5, maxConcurrencySeen: 1, rejected503: 0 });
  });
});

describe('fault switches', () => {
  it('drops connections while unreachable and recovers', async () => {
    const bmc = await fleet.addBmc();
    const auth = basic(bmc.username, bmc.password);
    bmc.setUnreachable(true);
    await expect(get(`${bmc.url}${SYSTEM}`, auth)).rejects.toThrow();
    bmc.setUnreachable(false);
    expect((await get(`${bmc.url}${SYSTEM}`, auth)).status).toBe(200);
  });

  it('answers 500 with InternalError on everything while serverError is set', async () => {
    const bmc = await fleet.addBmc();
    const auth = basic(bmc.username, bmc.password);
    bmc.setServerError(true);
    for (const path of ['/redfish/v1', SYSTEM, '/redfish/v1/Managers/iDRAC.Embedded.1/Jobs']) {
      const answer = await get(`${bmc.url}${path}`, auth);
      expect(answer.status).toBe(500);
      expect(firstMessageId(answer.body)).toMatch(/^Base\.1\.\d+\.InternalError$/);
    }
    bmc.setServerError(false);
    expect((await get(`${bmc.url}${SYSTEM}`, auth)).status).toBe(200);
  });
});

describe('fleet', () => {
  it('rejects bad options with an error naming the option', async () => {
    await expect(fleet.addBmc({ maxConcurrentRequests: 0 })).rejects.toThrow(/maxConcurrentRequests/);
    await expect(fleet.addBmc({ drives: [{ capacityGb: -1 }] })).rejects.toThrow(/drives\[0\]\.capacityGb/);
    await expect(fleet.addBmc({ jobDurationMs: Number.NaN })).rejects.toBeInstanceOf(InvalidBmcOptionError);
    const error = await fleet.addBmc({ password: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBmcOptionError);
    expect(error).toMatchObject({
      name: 'InvalidBmcOptionError',
      code: 'INVALID_BMC_OPTION',
      option: 'password',
    });
    const bmc = await fleet.addBmc();
    expect(() => bmc.setJobDuration(-5)).toThrow(InvalidBmcOptionError);
    expect(() => bmc.setFailJobs('')).toThrow(InvalidBmcOptionError);
  });

  it('refuses a duplicate id', async () => {
    await fleet.addBmc({ id: 'node-1' });
    await expect(fleet.addBmc({ id: 'node-1' })).rejects.toMatchObject({ name: 'DuplicateBmcError' });
    await expect(fleet.addBmc({ id: 'node-1' })).rejects.toBeInstanceOf(DuplicateBmcError);
  });

  it('holds many BMCs and closes all their servers', async () => {
    const bmcs = await Promise.all(Array.from({ length: 50 }, (_, i) => fleet.addBmc({ id: `n${i}` })));
    expect(new Set(bmcs.map((b) => b.url)).size).toBe(50);
    const last = bmcs[49]!;
    expect((await get(`${last.url}${SYSTEM}`, basic('root', 'calvin'))).status).toBe(200);
    await fleet.removeBmc('n0');
    expect(fleet.get('n0')).toBeUndefined();
    await expect(get(`${bmcs[0]!.url}/redfish/v1`)).rejects.toThrow();
    await fleet.close();
    expect(fleet.bmcs).toEqual([]);
    await expect(get(`${last.url}/redfish/v1`)).rejects.toThrow();
    await expect(fleet.addBmc()).rejects.toBeInstanceOf(FleetClosedError);
  });
});
