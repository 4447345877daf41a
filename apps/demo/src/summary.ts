import { NODE_KINDS, type PlannedNode } from './fleet-plan.js';
import type { NodeState, PeriodicTaskFigures } from './ironic-client.js';
import { renderStates, renderTasks, table } from './render.js';

/** Whether one node ended where it should. */
export interface NodeVerdict {
  readonly node: PlannedNode;
  /** Its final provision state, or null if the API no longer lists it. */
  readonly state: string | null;
  readonly lastError: string | null;
  readonly ok: boolean;
  /** Why it is not ok. */
  readonly reason: string | null;
}

/** Checks each planned node against its final state: the state expected, and for a failure the message told. */
export function judgeNodes(plan: readonly PlannedNode[], nodes: readonly NodeState[]): NodeVerdict[] {
  const byUuid = new Map(nodes.map((node) => [node.uuid, node]));
  return plan.map((node) => {
    const final = byUuid.get(node.uuid);
    const state = final?.provision_state ?? null;
    const lastError = final?.last_error ?? null;
    const { expected } = node;
    let reason: string | null = null;
    if (state !== expected.state) reason = `expected "${expected.state}", ended in "${state ?? 'missing'}"`;
    else if (expected.lastErrorIncludes !== null && !lastError?.includes(expected.lastErrorIncludes)) {
      reason = `last_error does not carry the simulator's message: ${lastError ?? 'none'}`;
    }
    return { node, state, lastError, ok: reason === null, reason };
  });
}

/** What the demo prints at the end. */
export interface DemoSummary {
  readonly verdicts: readonly NodeVerdict[];
  readonly tasks: readonly PeriodicTaskFigures[];
  readonly wallTimeMs: number;
  /** True when every node ended where it should. */
  readonly ok: boolean;
  /** True when Ctrl-C stopped the run before every node was through. */
  readonly interrupted?: boolean;
}

/** The final summary: nodes per kind and expected state, final states, the failures, periodic tasks, wall time. */
export function renderSummary(summary: DemoSummary, now: number): string[] {
  const { verdicts } = summary;
  const seconds = (summary.wallTimeMs / 1000).toFixed(1);
  const wrong = verdicts.filter((verdict) => !verdict.ok);
  const headline = summary.interrupted
    ? `interrupted, ${verdicts.length - wrong.length} where they should be so far`
    : wrong.length === 0
      ? 'every node ended where it should'
      : `${wrong.length} node(s) did not end where they should`;
  const rows: string[][] = [];
  for (const kind of NODE_KINDS) {
    for (const told of ['succeed', 'fail'] as const) {
      const group = verdicts.filter(
        (verdict) => verdict.node.kind === kind && (verdict.node.failure !== null) === (told === 'fail'),
      );
      if (group.length === 0) continue;
      rows.push([
        kind,
        told,
        group[0]!.node.expected.state,
        String(group.length),
        String(group.filter((verdict) => verdict.ok).length),
      ]);
    }
  }
  const finalStates = new Map<string, number>();
  for (const verdict of verdicts) {
    const state = verdict.state ?? 'missing';
    finalStates.set(state, (finalStates.get(state) ?? 0) + 1);
  }
  const told = verdicts.filter((verdict) => verdict.node.failure !== null);
  const nameWidth = Math.max(0, ...verdicts.map((verdict) => verdict.node.name.length));
  const stateWidth = Math.max(0, ...told.map((verdict) => (verdict.state ?? 'missing').length));
  return [
    '',
    `Summary: ${verdicts.length} nodes in ${seconds} s — ${headline}`,
    '',
    ...table(['kind', 'told to', 'expected state', 'nodes', 'as expected'], rows),
    '',
    'Nodes per final provision state',
    renderStates(finalStates),
    '',
    ...(told.length > 0
      ? [
          'Nodes told to fail, and the message they failed with',
          ...told.map(
            (verdict) =>
              `  ${verdict.ok ? 'ok ' : 'BAD'} ${verdict.node.name.padEnd(nameWidth)}  ${(verdict.state ?? 'missing').padEnd(stateWidth)}  ${verdict.lastError ?? ''}`,
          ),
          '',
        ]
      : []),
    ...(wrong.length > 0
      ? [
          'Not where they should be',
          ...wrong.map((verdict) => `  ${verdict.node.name.padEnd(nameWidth)}  ${verdict.reason}`),
          '',
        ]
      : []),
    'Periodic tasks',
    ...renderTasks(summary.tasks, now),
    '',
    `Wall time: ${seconds} s`,
  ];
}
