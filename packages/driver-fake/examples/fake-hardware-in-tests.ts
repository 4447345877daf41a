import { createDriverHarness } from '@ironic/driver-base/testing';
import fakeHardware from '@ironic/driver-fake';

/** Takes a fake-hardware node through every provision state, without any hardware; returns the states seen. */
export async function fakeHardwareTour(): Promise<string[]> {
  const harness = await createDriverHarness({ drivers: [fakeHardware] });
  try {
    await harness.createNode({ name: 'node-1', driver: 'fake-hardware' });
    const seen: string[] = [];
    for (const request of [
      { target: 'manage' },
      { target: 'inspect' },
      { target: 'provide' }, // through automated cleaning, which does nothing on fake hardware
      { target: 'active' },
      { target: 'rescue', rescue_password: 's3cret' },
      { target: 'unrescue' },
      { target: 'deleted' },
    ]) {
      seen.push((await harness.provision('node-1', request)).provision_state);
    }
    return seen; // manageable, manageable, available, active, rescue, active, available
  } finally {
    await harness.close();
  }
}
