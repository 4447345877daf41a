import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type PowerState,
  type RedfishFleet,
  type ResetType,
  type SimulatedBmc,
  startRedfishFleet,
} from '../src/redfish/index.js';

const SYSTEM = '/redfish/v1/Systems/System.Embedded.1';
const RESET = `${SYSTEM}/Actions/ComputerSystem.Reset`;

/** The shape another simulator (the IPA agents) relies on to follow a machine's power. */
interface PowerSource {
  readonly powerState: 'On' | 'Off';
  readonly events: {
    on(event: 'power', listener: (state: 'On' | 'Off') => void): unknown;
    off(event: 'power', listener: (state: 'On' | 'Off') => void): unknown;
  };
}

let fleet: RedfishFleet;
let bmc: SimulatedBmc;
let seen: Array<[PowerState, ResetType]>;

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${bmc.url}${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function powerState(): Promise<unknown> {
  return ((await call('GET', SYSTEM)).body as { PowerState: unknown }).PowerState;
}

function messageId(body: unknown): string | undefined {
  return (body as { error: { '@Message.ExtendedInfo': Array<{ MessageId: string }> } }).error[
    '@Message.ExtendedInfo'
  ][0]?.MessageId;
}

beforeEach(async () => {
  fleet = await startRedfishFleet();
  bmc = await fleet.addBmc();
  seen = [];
  bmc.events.on('power', (state, resetType) => seen.push([state, resetType]));
});

afterEach(async () => {
  await fleet.close();
});

describe('ComputerSystem.Reset', () => {
  it('powers on and off, answering 204 and emitting power events', async () => {
    expect(await powerState()).toBe('Off');
    const on = await call('POST', RESET, { ResetType: 'On' });
    expect(on).toEqual({ status: 204, body: undefined });
    expect(await powerState()).toBe('On');
    expect(bmc.powerState).toBe('On');

    expect((await call('POST', RESET, { ResetType: 'ForceOff' })).status).toBe(204);
    expect(await powerState()).toBe('Off');
    expect(seen).toEqual([
      ['On', 'On'],
      ['Off', 'ForceOff'],
    ]);
  });

  it('answers 409 like an iDRAC when the system is already in the requested state', async () => {
    const off = await call('POST', RESET, { ResetType: 'GracefulShutdown' });
    expect(off.status).toBe(409);
    expect(messageId(off.body)).toMatch(/^IDRAC\.2\.\d+\.PSU\d+$/);
    expect(
      (off.body as { error: { '@Message.ExtendedInfo': Array<{ Message: string }> } }).error[
        '@Message.ExtendedInfo'
      ][0]?.Message,
    ).toBe('Server is already powered OFF.');
    await call('POST', RESET, { ResetType: 'On' });
    const on = await call('POST', RESET, { ResetType: 'On' });
    expect(on.status).toBe(409);
    expect(messageId(on.body)).toMatch(/^IDRAC\.2\.\d+\.PSU501$/);
    expect(seen).toEqual([['On', 'On']]);
  });

  it('restarts a running system as off then on, and toggles on the power button', async () => {
    await call('POST', RESET, { ResetType: 'On' });
    expect((await call('POST', RESET, { ResetType: 'ForceRestart' })).status).toBe(204);
    expect((await call('POST', RESET, { ResetType: 'PushPowerButton' })).status).toBe(204);
    expect(await powerState()).toBe('Off');
    expect(seen).toEqual([
      ['On', 'On'],
      ['Off', 'ForceRestart'],
      ['On', 'ForceRestart'],
      ['Off', 'PushPowerButton'],
    ]);
  });

  it('flips the power when someone presses the power button, without a Redfish request', async () => {
    const received: string[] = [];
    bmc.events.on('received', (method, path) => received.push(`${method} ${path}`));
    bmc.pushPowerButton();
    expect(bmc.powerState).toBe('On');
    expect(received).toEqual([]);
    expect(await powerState()).toBe('On');
    bmc.pushPowerButton();
    expect(await powerState()).toBe('Off');
    expect(seen).toEqual([
      ['On', 'PushPowerButton'],
      ['Off', 'PushPowerButton'],
    ]);
  });

  it('tells when a request arrives and when it was answered', async () => {
    const events: string[] = [];
    bmc.events.on('received', (method, path) => events.push(`received ${method} ${path}`));
    bmc.events.on('request', (method, path, status) => events.push(`answered ${method} ${path} ${status}`));
    await powerState();
    expect(events).toEqual([`received GET ${SYSTEM}`, `answered GET ${SYSTEM} 200`]);
  });

  it('rejects an unknown or missing ResetType with 400', async () => {
    const unknown = await call('POST', RESET, { ResetType: 'Explode' });
    expect(unknown.status).toBe(400);
    expect(messageId(unknown.body)).toMatch(/^Base\.1\.\d+\.ActionParameterValueNotInList$/);
    const missing = await call('POST', RESET, {});
    expect(missing.status).toBe(400);
    expect(messageId(missing.body)).toMatch(/^Base\.1\.\d+\.ActionParameterMissing$/);
    expect(seen).toEqual([]);
    expect(bmc.powerState).toBe('Off');
  });

  it('can start powered on and serves as a power source for the agent simulator', async () => {
    const running = await fleet.addBmc({ powerState: 'On' });
    const source: PowerSource = running;
    const states: string[] = [];
    const listener = (state: 'On' | 'Off') => states.push(state);
    source.events.on('power', listener);
    bmc = running;
    await call('POST', RESET, { ResetType: 'GracefulShutdown' });
    source.events.off('power', listener);
    expect(states).toEqual(['Off']);
    expect(source.powerState).toBe('Off');
  });
});
