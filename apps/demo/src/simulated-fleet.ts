import {
  bindToPower,
  type DiscoverdSimulator,
  type IpaFleet,
  type RedfishFleet,
  type SimulatedBmc,
  type SimulatedIpaAgent,
  startDiscoverdSimulator,
  startIpaFleet,
  startRedfishFleet,
} from '@ironic/simulators';
import type { PlannedNode } from './fleet-plan.js';
import type { NewNode } from './ironic-client.js';

/** How long the simulated hardware takes; short, so a hundred nodes finish in well under a minute. */
export interface FleetTimings {
  /** Inspection time in discoverd, ms; each node adds up to this much again, so they don't all end at once. */
  readonly inspectionMs: number;
  /** One iDRAC RAID job, ms (plus a per-node spread as above). */
  readonly raidJobMs: number;
  /** From power-on until the ramdisk looks its node up, ms. */
  readonly agentBootMs: number;
  /** How long the agent writes the image (`standby.prepare_image`), ms. */
  readonly imageWriteMs: number;
}

/** The demo's timings. */
export const DEMO_TIMINGS: FleetTimings = {
  inspectionMs: 4000,
  raidJobMs: 3000,
  agentBootMs: 2000,
  imageWriteMs: 3000,
};

/** The image every ipa node deploys: an http URL and its checksum, as `instance_info` names them. */
export const DEMO_IMAGE = {
  image_source: 'http://127.0.0.1:8080/images/ubuntu-24.04-server.qcow2',
  image_disk_format: 'qcow2',
  image_os_hash_algo: 'sha256',
  image_os_hash_value: 'f5c0a7b1e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39',
} as const;

/** Options of {@link startSimulatedFleet}. */
export interface SimulatedFleetOptions {
  /** discoverd's port (the one the conductor's configuration names); 0 picks a free one. */
  readonly discoverdPort: number;
  /**
   * The conductor's API, where discoverd looks nodes up and the ramdisk agents look up and heartbeat.
   * Absent: given later with `setIronicUrl`, once the conductor (on a port of its choosing) is up.
   */
  readonly ironicUrl?: string;
  readonly timings?: FleetTimings;
}

/** The simulators and the hardware of every planned node. */
export interface SimulatedFleet {
  readonly discoverd: DiscoverdSimulator;
  readonly bmcs: RedfishFleet;
  readonly agents: IpaFleet;
  /** The `POST /v1/nodes` body of a planned node: its driver and how to reach its BMC. */
  enrollment(node: PlannedNode): NewNode;
  /** Points discoverd and the ramdisks at the conductor's API (before any node is inspected or deployed). */
  setIronicUrl(url: string): void;
  /** Stops every agent, BMC and discoverd. */
  close(): Promise<void>;
}

/**
 * Starts discoverd, one iDRAC per drac and ipa node, and one IPA ramdisk per ipa node (powered by its
 * BMC), and tells the planned failures to each: discoverd fails the inspection, the iDRAC fails its RAID
 * jobs, the agent fails `prepare_image`.
 */
export async function startSimulatedFleet(
  plan: readonly PlannedNode[],
  options: SimulatedFleetOptions,
): Promise<SimulatedFleet> {
  const timings = options.timings ?? DEMO_TIMINGS;
  // discoverd looks each node up in the conductor's API before it starts, as ironic-inspector does.
  const ironic = options.ironicUrl === undefined ? {} : { ironicUrl: options.ironicUrl };
  let ironicUrl = options.ironicUrl;
  const discoverd = await startDiscoverdSimulator({
    host: '127.0.0.1',
    port: options.discoverdPort,
    ...ironic,
  });
  const bmcs = await startRedfishFleet();
  const agents = startIpaFleet(ironic);
  const fleet: SimulatedFleet = {
    discoverd,
    bmcs,
    agents,
    enrollment: (node) => enrollmentOf(node, bmcByNode.get(node.uuid)),
    setIronicUrl(url) {
      ironicUrl = url;
      discoverd.setIronicUrl(url);
      agents.setIronicUrl(url);
    },
    async close() {
      await agents.close();
      await bmcs.close();
      await discoverd.close();
    },
  };
  const bmcByNode = new Map<string, SimulatedBmc>();
  try {
    for (const node of plan) {
      const spread = (node.index * 7919) % 1000;
      if (node.kind === 'discoverd') {
        discoverd.configureNode(node.uuid, {
          durationMs: timings.inspectionMs + (timings.inspectionMs * spread) / 1000,
          ...(node.failure ? { fail: node.failure } : {}),
          hardware: { macs: node.macs, cpus: 32, memoryMb: 262_144, disksGb: [960, 3840] },
        });
        continue;
      }
      const bmc = await bmcs.addBmc({
        id: node.name,
        jobDurationMs: timings.raidJobMs + (timings.raidJobMs * spread) / 1000,
        failJobs: node.kind === 'drac' && node.failure ? node.failure : false,
      });
      bmcByNode.set(node.uuid, bmc);
      if (node.kind === 'ipa') {
        const agent = agents.addAgent({
          nodeUuid: node.uuid,
          macs: node.macs,
          bootDelayMs: timings.agentBootMs,
          commandDurationMs: timings.imageWriteMs,
        });
        if (node.failure) agent.failCommand('standby.prepare_image', node.failure);
        bindToPower(agent, bmc);
        eraseDiskWhenTornDown(agent, bmc, () => ironicUrl);
      }
    }
  } catch (error) {
    await fleet.close();
    throw error;
  }
  return fleet;
}

/** Where a node is after a tear down, while or after its cleaning runs. */
const TORN_DOWN = new Set(['deleting', 'cleaning', 'clean wait', 'available']);

/**
 * A torn-down machine's disk is erased, as Ironic's automated cleaning does in the ramdisk
 * (`erase_devices_metadata`): so its next deploy network-boots the ramdisk again instead of the old
 * instance. The conductor's tear down powers the machine off; the node's state then tells a tear down
 * from a plain power-off of an active node (which keeps its instance) or the end of a deploy.
 */
function eraseDiskWhenTornDown(
  agent: SimulatedIpaAgent,
  bmc: SimulatedBmc,
  ironicUrl: () => string | undefined,
): void {
  const provisionState = async (): Promise<string | undefined> => {
    const response = await fetch(`${ironicUrl()}/v1/nodes/${agent.nodeUuid}?fields=provision_state`, {
      headers: { 'X-OpenStack-Ironic-API-Version': '1.82' },
    });
    return response.ok
      ? ((await response.json()) as { provision_state?: string }).provision_state
      : undefined;
  };
  bmc.events.on('power', (state) => {
    if (state !== 'Off' || !agent.deployed || agent.isClosed) return;
    provisionState().then(
      (current) => {
        if (current !== undefined && TORN_DOWN.has(current)) agent.undeploy();
      },
      () => undefined, // the conductor is going away: nothing more will be deployed
    );
  });
}

function enrollmentOf(node: PlannedNode, bmc: SimulatedBmc | undefined): NewNode {
  const base = { uuid: node.uuid, name: node.name, driver: node.kind };
  if (!bmc) return base;
  const driver_info = {
    redfish_address: bmc.url,
    redfish_username: bmc.username,
    redfish_password: bmc.password,
  };
  return node.kind === 'ipa'
    ? { ...base, driver_info, instance_info: { ...DEMO_IMAGE } }
    : { ...base, driver_info };
}
