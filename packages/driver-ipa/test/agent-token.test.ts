import { AGENT_TOKEN_KEY } from '@ironic/driver-base';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE, IpaLab } from './ipa-lab.js';

let lab: IpaLab;
beforeEach(async () => {
  lab = await IpaLab.start();
});
afterEach(async () => {
  await lab.close();
});

async function heartbeat(uuid: string, body: Record<string, unknown>) {
  const response = await request(`${lab.api.url}/v1/heartbeat/${uuid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.68' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  const outer = text ? (JSON.parse(text) as { error_message?: string }) : {};
  const fault = outer.error_message
    ? (JSON.parse(outer.error_message) as { faultstring: string }).faultstring
    : null;
  return { status: response.statusCode, fault };
}

async function lookup(uuid: string) {
  const response = await request(`${lab.api.url}/v1/lookup?node_uuid=${uuid}`, {
    headers: { accept: 'application/json', 'x-openstack-ironic-api-version': '1.62' },
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as { config: { agent_token: string } },
  };
}

describe('the agent token', () => {
  it('refuses a heartbeat with a wrong token with 400, and the node does not change', async () => {
    const machine = await lab.addMachine({ powerOn: true });
    await lab.advanceUntil(async () => machine.agent.heartbeats > 0, 60_000);
    const before = await lab.node(machine.uuid);
    expect(before.driver_internal_info[AGENT_TOKEN_KEY]).toBe(machine.agent.token);

    const forged = await heartbeat(machine.uuid, {
      callback_url: 'http://127.0.0.1:9',
      agent_version: '9.4.0',
      agent_token: 'x'.repeat(43),
    });
    expect(forged).toEqual({ status: 400, fault: 'Invalid or missing agent token received.' });
    const missing = await heartbeat(machine.uuid, {
      callback_url: 'http://127.0.0.1:9',
      agent_version: '9.4.0',
    });
    expect(missing).toEqual({ status: 400, fault: 'Agent token is required for heartbeat processing.' });
    expect(await lab.node(machine.uuid)).toEqual(before);

    // The same request with the real token is accepted (it is the token, not the request, that was wrong).
    const genuine = await heartbeat(machine.uuid, {
      callback_url: machine.agent.callbackUrl,
      agent_version: '9.4.0',
      agent_token: machine.agent.token,
    });
    expect(genuine).toEqual({ status: 202, fault: null });
  });

  it('does not let a forged heartbeat drive a deploy', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE });
    await lab.harness.provision(machine.uuid, { target: 'active' });
    machine.agent.die();
    const handedOut = await lookup(machine.uuid);
    expect(handedOut.status).toBe(200);
    expect(handedOut.body.config.agent_token.length).toBeGreaterThanOrEqual(32);
    expect((await lookup(machine.uuid)).body.config.agent_token).toBe('******');
    const before = await lab.node(machine.uuid);

    const token = handedOut.body.config.agent_token;
    // One character off: the last one changed to something it is not.
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const forged = await heartbeat(machine.uuid, {
      callback_url: 'http://127.0.0.1:9',
      agent_version: '9.4.0',
      agent_token: wrong,
    });
    expect(forged.status).toBe(400);
    expect(await lab.node(machine.uuid)).toEqual(before);
    expect(before.provision_state).toBe('wait call-back');
    expect(before.driver_internal_info.agent_prepare_image_started_at).toBeUndefined();
  });

  it('gives the token out once per ramdisk: after a power cycle the new ramdisk gets a fresh one', async () => {
    const machine = await lab.addMachine({ powerOn: true });
    await lab.advanceUntil(async () => machine.agent.heartbeats > 0, 60_000);
    const first = machine.agent.token;
    // The dead-ramdisk check powers off and revokes; the next boot looks up again and gets a new token.
    machine.agent.die();
    await lab.advanceUntil(async () => machine.bmc.powerState === 'Off', 900_000, 60_000);
    expect((await lab.node(machine.uuid)).driver_internal_info[AGENT_TOKEN_KEY]).toBeUndefined();
    await lab.harness.nodes.withTask(machine.uuid, {}, (task) =>
      task.driver.interfaces.power.setPowerState(task, 'power on'),
    );
    expect(machine.bmc.powerState).toBe('On');
    await lab.advanceUntil(
      async () => (await lab.node(machine.uuid)).driver_internal_info.agent_url !== undefined,
      60_000,
    );
    expect(machine.agent.token).not.toBe(first);
    expect((await lab.node(machine.uuid)).driver_internal_info[AGENT_TOKEN_KEY]).toBe(machine.agent.token);
  });
});
