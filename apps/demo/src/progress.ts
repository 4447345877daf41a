import type { PlannedNode } from './fleet-plan.js';
import type { NodeState, PeriodicTaskFigures } from './ironic-client.js';
import type { PhaseEvent } from './node-flow.js';
import { PHASES, PHASES_BY_KIND, type Phase } from './phases.js';

/** Counts of one phase over the fleet. */
export interface PhaseTally {
  /** Nodes whose kind goes through this phase. */
  total: number;
  started: number;
  succeeded: number;
  failed: number;
  /** Nodes that will not reach this phase: an earlier phase of theirs failed. */
  skipped: number;
}

/** Everything the live view and the summary show, kept up to date by the run. */
export class DemoProgress {
  readonly phases: ReadonlyMap<Phase, PhaseTally>;
  /** Nodes per provision state, from the latest poll. */
  states: ReadonlyMap<string, number> = new Map();
  /** The conductor's periodic tasks, from the latest `GET /v1/periodic-tasks`. */
  tasks: readonly PeriodicTaskFigures[] = [];

  constructor(
    readonly plan: readonly PlannedNode[],
    /** When the run started (epoch ms). */
    readonly startedAt: number,
  ) {
    const phases = new Map<Phase, PhaseTally>(
      PHASES.map((phase) => [phase, { total: 0, started: 0, succeeded: 0, failed: 0, skipped: 0 }]),
    );
    for (const node of plan) for (const phase of PHASES_BY_KIND[node.kind]) phases.get(phase)!.total++;
    this.phases = phases;
  }

  /** Counts a phase starting or ending on a node. */
  record(event: PhaseEvent): void {
    const tally = this.phases.get(event.phase)!;
    if (event.status === 'started') tally.started++;
    else if (event.status === 'succeeded') tally.succeeded++;
    else {
      tally.failed++;
      const phases = PHASES_BY_KIND[event.node.kind];
      for (const later of phases.slice(phases.indexOf(event.phase) + 1)) this.phases.get(later)!.skipped++;
    }
  }

  /** Whether every node that goes through `phase` is through it (done, failed, or stopped before it). */
  isFinished(phase: Phase): boolean {
    const tally = this.phases.get(phase)!;
    return tally.succeeded + tally.failed + tally.skipped === tally.total;
  }

  /** Takes the nodes per provision state from a poll of the demo's nodes. */
  setNodes(nodes: readonly NodeState[]): void {
    const counts = new Map<string, number>();
    for (const node of nodes) counts.set(node.provision_state, (counts.get(node.provision_state) ?? 0) + 1);
    this.states = counts;
  }

  /** Takes the periodic tasks' figures. */
  setTasks(tasks: readonly PeriodicTaskFigures[]): void {
    this.tasks = tasks;
  }
}
