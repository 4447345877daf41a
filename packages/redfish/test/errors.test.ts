import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BmcUnreachable,
  InvalidRedfishEndpoint,
  RedfishConnector,
  RedfishConnectorClosed,
  RedfishError,
  RequestAborted,
  UnexpectedRedfishResponse,
} from '../src/index.js';
import { endpointOf, type Rig, SYSTEM, startRig } from './rig.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => rig.close());

describe('errors', () => {
  it('carries the @Message.ExtendedInfo text of an error answer', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    const error = await client
      .post(`${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'Sideways' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedfishError);
    expect(error).toMatchObject({ name: 'RedfishError', code: 'REDFISH_ERROR', status: 400, method: 'POST' });
    expect((error as RedfishError).bmcMessage).toBe(
      'The value Sideways for the parameter ResetType in the action ComputerSystem.Reset is not in the list of acceptable values.',
    );
    expect((error as RedfishError).messageIds).toEqual(['Base.1.12.ActionParameterValueNotInList']);
    expect((error as Error).message).toBe(
      `Redfish POST ${SYSTEM}/Actions/ComputerSystem.Reset on the BMC at ${bmc.url} failed with HTTP 400: ` +
        'The value Sideways for the parameter ResetType in the action ComputerSystem.Reset is not in the list of acceptable values.',
    );
  });

  it('reports a 500 as a RedfishError with its status, and recovers', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    await client.login();
    bmc.setServerError(true);
    await expect(client.get(SYSTEM)).rejects.toMatchObject({ status: 500, name: 'RedfishError' });
    bmc.setServerError(false);
    expect((await client.get(SYSTEM)).Id).toBe('System.Embedded.1');
  });

  it('reports a dropped connection, a closed port and a silent BMC as BmcUnreachable', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    await client.login();
    bmc.setUnreachable(true);
    const dropped = await client.get(SYSTEM).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(BmcUnreachable);
    expect(dropped).toMatchObject({ code: 'BMC_UNREACHABLE', address: bmc.url, timedOut: false });
    bmc.setUnreachable(false);

    const gone = await rig.addBmc();
    const url = gone.url;
    await rig.fleet.removeBmc(gone.id);
    const refused = await rig.connector
      .client({ address: url, username: 'root', password: 'calvin' })
      .get(SYSTEM)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BmcUnreachable);
    expect((refused as Error).message).toContain(`The BMC at ${url} could not be reached`);

    bmc.setResponseDelay(5_000);
    const silent = await client.get(SYSTEM, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(BmcUnreachable);
    expect(silent).toMatchObject({ timedOut: true, reason: 'no answer within 0.05 s' });
    bmc.setResponseDelay(0);
  });

  it('rejects with RequestAborted when the caller aborts a request in flight', async () => {
    const bmc = await rig.addBmc({ responseDelayMs: 5_000 });
    const client = rig.connector.client({ address: bmc.url });
    const controller = new AbortController();
    const pending = client.serviceRoot({ signal: controller.signal });
    setImmediate(() => controller.abort());
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAborted);
    expect(error).toMatchObject({ code: 'REQUEST_ABORTED' });
    bmc.setResponseDelay(0);
  });

  it('refuses an address that is not http(s), and a Location on another origin', async () => {
    expect(() => rig.connector.client({ address: 'ftp://bmc' })).toThrow(InvalidRedfishEndpoint);
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    expect(() => client.taskMonitor('https://elsewhere.example/redfish/v1/TaskService/Tasks/1')).toThrow(
      UnexpectedRedfishResponse,
    );
    expect(() =>
      client.taskMonitor({ status: 202, headers: {}, location: undefined, body: undefined }),
    ).toThrow(/gave no Location to follow its task/);
  });

  it('reads a CA bundle for verify, and names the field it cannot use', () => {
    expect(() => rig.connector.client({ address: 'https://bmc', verify: '/nonexistent/ca.pem' })).toThrow(
      /Invalid Redfish verify "\/nonexistent\/ca.pem": cannot read the CA bundle/,
    );
    expect(() => rig.connector.client({ address: 'bmc', verify: false })).not.toThrow();
  });

  it('assumes https without a scheme and keeps one pool per BMC', async () => {
    const connector = new RedfishConnector();
    try {
      expect(connector.client({ address: '10.0.0.5' }).address).toBe('https://10.0.0.5');
      expect(connector.client({ address: 'https://10.0.0.5:443/redfish/v1' }).address).toBe(
        'https://10.0.0.5',
      );
      connector.client({ address: '10.0.0.5', username: 'root', password: 'x' });
      expect(connector.stats).toMatchObject({ clients: 2, pools: 1 });
    } finally {
      await connector.close();
    }
  });

  it('gives no client once closed', async () => {
    const connector = new RedfishConnector();
    await connector.close();
    expect(() => connector.client({ address: 'https://10.0.0.5' })).toThrow(RedfishConnectorClosed);
  });

  it('refuses bad options, naming them', () => {
    expect(() => new RedfishConnector({ maxRequestsPerBmc: 0 })).toThrow(
      /maxRequestsPerBmc must be an integer >= 1/,
    );
    expect(() => new RedfishConnector({ requestTimeoutMs: -1 })).toThrow(
      /requestTimeoutMs must be a positive/,
    );
  });
});
