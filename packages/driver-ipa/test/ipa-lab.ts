// A small lab for the tests: the ipa driver in the testing harness, a test Ironic API for the agents,
// simulated Redfish BMCs and IPA ramdisks — all on one fake clock, all over real loopback HTTP.
import { randomUUID } from 'node:crypto';
import type { JsonObject, Node, ProvisionState } from '@ironic/driver-base';
import { createDriverHarness, type DriverHarness } from '@ironic/driver-base/testing';
import { ManualClock } from '@ironic/periodic-core';
import {
  bindToPower,
  type IpaFleet,
  type RedfishFleet,
  type SimulatedBmc,
  type SimulatedIpaAgent,
  startIpaFleet,
  startRedfishFleet,
} from '@ironic/simulators';
import { AgentDeploy, type IpaOptionsInput, ipaDriver } from '../src/index.js';
import { type IronicApiServer, startIronicApi } from './ironic-api-server.js';

/** A machine: its node, BMC and ramdisk agent. */
export interface Machine {
  readonly uuid: string;
  readonly bmc: SimulatedBmc;
  readonly agent: SimulatedIpaAgent;
}

/** Options of `addMachine`. */
export interface MachineOptions {
  provision_state?: ProvisionState;
  powerOn?: boolean;
  instance_info?: JsonObject;
  /** How long `standby.prepare_image` takes on the fake clock. */
  commandDurationMs?: number;
}

/** An image as a user gives it in `instance_info`. */
export const IMAGE: JsonObject = {
  image_source: 'http://127.0.0.1:8080/images/ubuntu-24.04.qcow2',
  image_os_hash_algo: 'sha256',
  image_os_hash_value: 'a'.repeat(64),
  image_disk_format: 'qcow2',
};

export class IpaLab {
  private constructor(
    readonly clock: ManualClock,
    readonly harness: DriverHarness,
    readonly api: IronicApiServer,
    readonly agents: IpaFleet,
    readonly bmcs: RedfishFleet,
  ) {}

  static async start(options: IpaOptionsInput = {}): Promise<IpaLab> {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const harness = await createDriverHarness({ drivers: [{ package: ipaDriver, options }], clock });
    const api = await startIronicApi(harness.nodes, {
      heartbeat_timeout: options.heartbeat_timeout ?? 300,
      fast_track: options.fast_track ?? true,
    });
    // A fixed jitter: every agent heartbeats 0.45 × heartbeat_timeout after the previous one.
    const agents = startIpaFleet({ ironicUrl: api.url, clock, random: () => 0.5 });
    const bmcs = await startRedfishFleet({ clock });
    return new IpaLab(clock, harness, api, agents, bmcs);
  }

  async addMachine(options: MachineOptions = {}): Promise<Machine> {
    const bmc = await this.bmcs.addBmc({ powerState: options.powerOn ? 'On' : 'Off' });
    const uuid = randomUUID();
    await this.harness.createNode({
      uuid,
      driver: 'ipa',
      provision_state: options.provision_state ?? 'available',
      power_state: options.powerOn ? 'power on' : 'power off',
      instance_info: options.instance_info ?? {},
      driver_info: {
        redfish_address: bmc.url,
        redfish_username: bmc.username,
        redfish_password: bmc.password,
        redfish_system_id: '/redfish/v1/Systems/System.Embedded.1',
      },
    });
    const agent = this.agents.addAgent({
      nodeUuid: uuid,
      macs: [macFor(this.agents.agents.length)],
      commandDurationMs: options.commandDurationMs ?? 0,
    });
    bindToPower(agent, bmc);
    return { uuid, bmc, agent };
  }

  /** The driver's agent deploy interface, as the harness loaded it. */
  get deploy(): AgentDeploy {
    const deploy = this.harness.drivers.get('ipa')?.interfaces.deploy;
    if (!(deploy instanceof AgentDeploy)) throw new Error('the ipa driver has no agent deploy interface');
    return deploy;
  }

  node(uuid: string): Promise<Node> {
    return this.harness.node(uuid);
  }

  /**
   * Moves the fake clock forward `stepMs` at a time until `done()` holds, at most `limitMs` in all;
   * returns how long it took. Rejects when the limit passes first.
   */
  async advanceUntil(
    done: () => Promise<boolean> | boolean,
    limitMs: number,
    stepMs = 1_000,
  ): Promise<number> {
    for (let elapsed = 0; ; elapsed += stepMs) {
      if (await done()) return elapsed;
      if (elapsed >= limitMs) throw new Error(`condition not reached within ${limitMs} ms of fake time`);
      await this.harness.advance(stepMs);
    }
  }

  async close(): Promise<void> {
    await this.agents.close();
    await this.bmcs.close();
    await this.api.close();
    await this.harness.close();
  }
}

function macFor(index: number): string {
  const hex = (index + 1).toString(16).padStart(4, '0');
  return `52:54:00:00:${hex.slice(0, 2)}:${hex.slice(2)}`;
}
