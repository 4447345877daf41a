import { setTimeout as delay } from 'node:timers/promises';
import { IronicApiError } from './errors.js';
import type { PlannedNode } from './fleet-plan.js';
import type { IronicClient, NewNode } from './ironic-client.js';
import type { NodeBoard } from './node-board.js';
import { PHASES_BY_KIND, type Phase } from './phases.js';

/** Ironic's RAID steps: drop whatever volumes exist, then build the target configuration. */
export const RAID_CLEAN_STEPS = [
  { interface: 'raid', step: 'delete_configuration' },
  { interface: 'raid', step: 'create_configuration' },
] as const;

/** The target RAID configuration of every drac node: one mirrored root volume over two disks. */
export const RAID1_ROOT = { logical_disks: [{ size_gb: 'MAX', raid_level: '1', is_root_volume: true }] };

/** A phase starting or ending on one node. */
export interface PhaseEvent {
  readonly node: PlannedNode;
  readonly phase: Phase;
  readonly status: 'started' | 'succeeded' | 'failed';
  /** The provision state the phase ended in. */
  readonly state?: string;
  /** Why it failed: the node's `last_error`, or what went wrong on the way. */
  readonly message?: string;
}

/** How one node's run ended. */
export interface FlowResult {
  readonly node: PlannedNode;
  /** The phase that failed, or null when every phase succeeded. */
  readonly failedPhase: Phase | null;
  /** The provision state seen last. */
  readonly state: string | null;
  readonly message: string | null;
}

/** What a node flow needs. */
export interface FlowContext {
  readonly client: IronicClient;
  readonly board: NodeBoard;
  /** The node as `POST /v1/nodes` enrolls it (driver, driver_info, instance_info). */
  readonly enrollment: NewNode;
  /** How long one phase may take once requested. */
  readonly phaseTimeoutMs: number;
  readonly onPhase: (event: PhaseEvent) => void;
  /** Aborted on Ctrl-C: no new phase starts. */
  readonly signal?: AbortSignal;
}

/** The request of each phase after enroll, and the states it ends in: success first, then failure. */
const PHASE_REQUESTS: Readonly<
  Record<
    Exclude<Phase, 'enroll'>,
    { ends: readonly string[]; request: (client: IronicClient, uuid: string) => Promise<void> }
  >
> = {
  manage: {
    ends: ['manageable', 'enroll'],
    request: (client, uuid) => client.setProvisionState(uuid, 'manage'),
  },
  inspect: {
    ends: ['manageable', 'inspect failed'],
    request: (client, uuid) => client.setProvisionState(uuid, 'inspect'),
  },
  clean: {
    ends: ['manageable', 'clean failed'],
    request: async (client, uuid) => {
      await client.setTargetRaidConfig(uuid, RAID1_ROOT);
      await client.setProvisionState(uuid, 'clean', { clean_steps: RAID_CLEAN_STEPS });
    },
  },
  provide: {
    ends: ['available', 'clean failed'],
    request: (client, uuid) => client.setProvisionState(uuid, 'provide'),
  },
  deploy: {
    ends: ['active', 'deploy failed'],
    request: (client, uuid) => client.setProvisionState(uuid, 'active'),
  },
};

/**
 * Takes one node through its kind's phases over the API, as an operator would: each request, then a wait
 * until the node settles. Stops at the first phase that ends in a failure state.
 */
export async function runNodeFlow(node: PlannedNode, context: FlowContext): Promise<FlowResult> {
  const { client, board, onPhase } = context;
  let state: string | null = null;
  for (const phase of PHASES_BY_KIND[node.kind]) {
    if (context.signal?.aborted) return { node, failedPhase: phase, state, message: 'interrupted' };
    onPhase({ node, phase, status: 'started' });
    try {
      if (phase === 'enroll') {
        state = (await withConflictRetries(() => client.createNode(context.enrollment))).provision_state;
      } else {
        const { ends, request } = PHASE_REQUESTS[phase];
        await withConflictRetries(() => request(client, node.uuid), context.signal);
        const settled = await board.waitFor(node.uuid, ends, context.phaseTimeoutMs);
        state = settled.provision_state;
        if (state !== ends[0]) {
          const message = settled.last_error ?? `ended in ${state}`;
          onPhase({ node, phase, status: 'failed', state, message });
          return { node, failedPhase: phase, state, message };
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      state = board.node(node.uuid)?.provision_state ?? state;
      onPhase({ node, phase, status: 'failed', ...(state ? { state } : {}), message });
      return { node, failedPhase: phase, state, message };
    }
    onPhase({ node, phase, status: 'succeeded', ...(state ? { state } : {}) });
  }
  return { node, failedPhase: null, state, message: null };
}

/**
 * Retries a request the API refused with 409 (the node is locked by a periodic task or the end of the
 * previous action), as ironicclient does, a bounded number of times.
 */
async function withConflictRetries<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const attempts = 40;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const retry = error instanceof IronicApiError && error.status === 409 && attempt < attempts;
      if (!retry || signal?.aborted) throw error;
      await delay(250);
    }
  }
}
