import { startRedfishFleet } from '@ironic/simulators';
import { expect, it } from 'vitest';
import { powerAndRaid } from '../examples/power-and-raid.js';

it('runs the README example against a simulated iDRAC', async () => {
  const fleet = await startRedfishFleet();
  try {
    // A job that takes no time: the example's wait ends at its first look, on the real clock.
    const bmc = await fleet.addBmc({ powerState: 'On', jobDurationMs: 0 });
    expect(await powerAndRaid({ address: bmc.url, username: 'root', password: 'calvin' })).toEqual({
      power: 'power on',
      task: 'Completed',
      volumes: [
        '/redfish/v1/Systems/System.Embedded.1/Storage/RAID.Integrated.1-1/Volumes/Disk.Virtual.0:RAID.Integrated.1-1',
      ],
    });
    expect(bmc.sessions).toEqual([]);
  } finally {
    await fleet.close();
  }
});
