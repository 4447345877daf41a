import type { ConsoleInterface, JsonObject } from '@ironic/driver-base';

/** Ironic's `fake` console: starts and stops at once; there is nothing to connect to (`{}`). */
export class FakeConsole implements ConsoleInterface {
  validate(): void {}
  async startConsole(): Promise<void> {}
  async stopConsole(): Promise<void> {}
  async getConsole(): Promise<JsonObject> {
    return {};
  }
}
