import { randomUUID } from 'node:crypto';
import { InvalidDemoOption } from './errors.js';

/** The three kinds of simulated node, one per driver. */
export type NodeKind = 'drac' | 'discoverd' | 'ipa';

/** The kinds in the order nodes are dealt out. */
export const NODE_KINDS: readonly NodeKind[] = ['drac', 'discoverd', 'ipa'];

/** What a node should look like when the demo is over. */
export interface ExpectedOutcome {
  /** The final provision state. */
  readonly state: string;
  /** Text `last_error` must contain (the simulator's failure message), or null for no check. */
  readonly lastErrorIncludes: string | null;
}

/** One node of the simulated fleet, decided before anything starts. */
export interface PlannedNode {
  /** Position in the fleet, from 0. */
  readonly index: number;
  /** `drac-001`, `discoverd-002`, ... */
  readonly name: string;
  readonly uuid: string;
  readonly kind: NodeKind;
  /** The message its simulator was told to fail with, or null when it should succeed. */
  readonly failure: string | null;
  /** NIC MAC addresses (one), unique in the fleet. */
  readonly macs: readonly string[];
  readonly expected: ExpectedOutcome;
}

/** The messages the simulators fail with: what a real iDRAC, inspector or agent would say. */
export const FAILURE_MESSAGES: Readonly<Record<NodeKind, string>> = {
  drac: 'Unable to complete the operation because the physical disk Disk.Bay.1:Enclosure.Internal.0-1:RAID.Integrated.1-1 is in a failed state.',
  discoverd: 'No disks satisfied root device hints',
  ipa: 'Error verifying image checksum: Image failed to verify against checksum. expected: 5d41402abc4b2a76, actual: 7d793037a0760186',
};

const SUCCESS_STATE: Readonly<Record<NodeKind, string>> = {
  drac: 'available',
  discoverd: 'available',
  ipa: 'active',
};

const FAILURE_STATE: Readonly<Record<NodeKind, string>> = {
  drac: 'clean failed',
  discoverd: 'inspect failed',
  ipa: 'deploy failed',
};

/** Options of {@link planFleet}. */
export interface FleetPlanOptions {
  /** How many nodes, ≥ 1. */
  readonly nodes: number;
  /** Within each kind, nodes 2, 2 + n, 2 + 2n, ... are told to fail; 0 tells none. */
  readonly failEvery: number;
  /** Makes node UUIDs (tests pass a deterministic one). Default `crypto.randomUUID`. */
  readonly uuid?: () => string;
}

/**
 * Deals `nodes` nodes out to drac, discoverd and ipa in turn, and tells some of each kind to fail so every
 * failure path shows even in a small fleet: the second node of each kind, then every `failEvery`-th.
 */
export function planFleet(options: FleetPlanOptions): PlannedNode[] {
  const { nodes, failEvery } = options;
  if (!Number.isInteger(nodes) || nodes < 1)
    throw new InvalidDemoOption('--nodes', `expected an integer ≥ 1, got ${nodes}`);
  if (!Number.isInteger(failEvery) || failEvery < 0) {
    throw new InvalidDemoOption('--fail-every', `expected an integer ≥ 0, got ${failEvery}`);
  }
  const uuid = options.uuid ?? randomUUID;
  const perKind = new Map<NodeKind, number>();
  return Array.from({ length: nodes }, (_, index) => {
    const kind = NODE_KINDS[index % NODE_KINDS.length] as NodeKind;
    const ordinal = perKind.get(kind) ?? 0;
    perKind.set(kind, ordinal + 1);
    const fails = failEvery > 0 && ordinal >= 1 && (ordinal - 1) % failEvery === 0;
    const failure = fails ? FAILURE_MESSAGES[kind] : null;
    return {
      index,
      name: `${kind}-${String(ordinal + 1).padStart(3, '0')}`,
      uuid: uuid(),
      kind,
      failure,
      macs: [macFor(index)],
      expected: failure
        ? { state: FAILURE_STATE[kind], lastErrorIncludes: failure }
        : { state: SUCCESS_STATE[kind], lastErrorIncludes: null },
    };
  });
}

/** A locally administered MAC (QEMU's 52:54:00 prefix) derived from the node's index. */
function macFor(index: number): string {
  const bytes = [(index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff];
  return ['52', '54', '00', ...bytes.map((byte) => byte.toString(16).padStart(2, '0'))].join(':');
}
