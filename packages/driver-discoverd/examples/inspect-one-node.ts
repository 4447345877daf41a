import { createDriverHarness, HARNESS_EPOCH } from '@ironic/driver-base/testing';
import { ManualClock } from '@ironic/periodic-core';
import { startDiscoverdSimulator, startIronicApiStandIn } from '@ironic/simulators';
import discoverd from '../src/index.js';

/** Inspects one node against a simulated discoverd on a fake clock; resolves to the inspected node. */
export async function inspectOneNode() {
  const clock = new ManualClock(HARNESS_EPOCH);
  const simulator = await startDiscoverdSimulator({ clock }); // listens on 127.0.0.1
  const harness = await createDriverHarness({
    clock,
    drivers: [{ package: discoverd, options: { discoverd_url: simulator.url, status_check_period: 30 } }],
  });
  // discoverd looks the node up in Ironic before it starts: here, an Ironic API over the harness's nodes.
  const ironic = await startIronicApiStandIn({
    get: (ident) => harness.repository.get(ident),
    list: () => harness.repository.list(),
  });
  simulator.setIronicUrl(ironic.url);
  try {
    const node = await harness.createNode({ driver: 'discoverd', provision_state: 'manageable' });
    simulator.configureNode(node.uuid, { durationMs: 45_000, hardware: { cpus: 32, disksGb: [960] } });

    await harness.provision(node.uuid, { target: 'inspect' }); // → inspect wait
    await harness.advance(30_000); // first check: discoverd still working
    await harness.advance(30_000); // second check: finished → properties set, manageable
    return await harness.node(node.uuid);
  } finally {
    await harness.close();
    await simulator.close();
    await ironic.close();
  }
}
