import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointOf, type Rig, SYSTEM, startRig } from './rig.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => rig.close());

describe('a read once a session exists', () => {
  it('costs exactly one HTTP request (the GET of the resource), over the one kept-alive connection', async () => {
    const bmc = await rig.addBmc();
    const client = rig.connector.client(endpointOf(bmc));
    await client.login();
    const afterLogin = bmc.stats;
    expect(afterLogin.connections).toBe(1);

    for (let read = 0; read < 5; read++) {
      const before = bmc.stats.requests;
      expect((await client.get(SYSTEM)).PowerState).toBe('Off');
      expect(bmc.stats.requests - before).toBe(1);
    }
    // Counted at the BMC: five GETs of the system and nothing else since the login, on no new connection.
    const { byRoute, connections } = bmc.stats;
    expect(byRoute[`GET ${SYSTEM}`]).toBe(5);
    expect(Object.values(byRoute).reduce((sum, n) => sum + n, 0) - afterLogin.requests).toBe(5);
    expect(connections).toBe(1);
    expect(rig.connector.stats.connectionsOpened).toBe(1);
  });

  it('reuses the session and the connection across clients of the connector for the same BMC and user', async () => {
    const bmc = await rig.addBmc();
    await rig.connector.client(endpointOf(bmc)).get(SYSTEM);
    const requests = bmc.stats.requests;
    await rig.connector.client(endpointOf(bmc)).get(SYSTEM);
    expect(bmc.stats.requests - requests).toBe(1);
    expect(bmc.stats.sessionsCreated).toBe(1);
    expect(bmc.stats.connections).toBe(1);
  });
});
