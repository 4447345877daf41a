import {
  type BootDevice,
  type BootDeviceInfo,
  InvalidParameterValue,
  type ManagementInterface,
  type Task,
} from '@ironic/driver-base';
import type { Delay } from '../delay.js';

const SUPPORTED: readonly BootDevice[] = ['pxe'];

/** Ironic's `fake` management: PXE is the only boot device, and it is always the current one. */
export class FakeManagement implements ManagementInterface {
  constructor(readonly delay: Delay) {}

  validate(): void {}

  getSupportedBootDevices(): readonly BootDevice[] {
    return SUPPORTED;
  }

  async setBootDevice(_task: Task, device: BootDevice, _options?: { persistent?: boolean }): Promise<void> {
    await this.delay();
    if (!SUPPORTED.includes(device))
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
  }

  async getBootDevice(): Promise<BootDeviceInfo> {
    await this.delay();
    return { boot_device: 'pxe', persistent: false };
  }
}
