import { describe, expect, it } from 'vitest';
import { FAILURE_MESSAGES, planFleet } from '../src/fleet-plan.js';
import type { NodeState } from '../src/ironic-client.js';
import { judgeNodes, renderSummary } from '../src/summary.js';

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function finalState(uuid: string, provision_state: string, last_error: string | null = null): NodeState {
  return {
    uuid,
    name: null,
    driver: 'x',
    provision_state,
    target_provision_state: null,
    reservation: null,
    last_error,
  };
}

describe('judgeNodes', () => {
  const plan = planFleet({ nodes: 6, failEvery: 16, uuid });
  const [drac, discoverd, ipa, dracFail, discoverdFail, ipaFail] = plan as [
    (typeof plan)[0],
    (typeof plan)[0],
    (typeof plan)[0],
    (typeof plan)[0],
    (typeof plan)[0],
    (typeof plan)[0],
  ];
  const right = [
    finalState(drac.uuid, 'available'),
    finalState(discoverd.uuid, 'available'),
    finalState(ipa.uuid, 'active'),
    finalState(
      dracFail.uuid,
      'clean failed',
      `RAID configuration job JID_1 failed: ${FAILURE_MESSAGES.drac}`,
    ),
    finalState(
      discoverdFail.uuid,
      'inspect failed',
      `discoverd inspection failed: ${FAILURE_MESSAGES.discoverd}`,
    ),
    finalState(ipaFail.uuid, 'deploy failed', `node x command status errored: ${FAILURE_MESSAGES.ipa}`),
  ];

  it('accepts nodes in their expected state with the told message', () => {
    expect(judgeNodes(plan, right).every((verdict) => verdict.ok)).toBe(true);
  });

  it('rejects a wrong state, a failure with another message, and a missing node', () => {
    const wrong = [...right];
    wrong[2] = finalState(ipa.uuid, 'wait call-back');
    wrong[3] = finalState(dracFail.uuid, 'clean failed', 'BMC unreachable');
    wrong.splice(0, 1);
    const verdicts = judgeNodes(plan, wrong);
    expect(
      verdicts.filter((verdict) => !verdict.ok).map((verdict) => [verdict.node.name, verdict.reason]),
    ).toEqual([
      ['drac-001', 'expected "available", ended in "missing"'],
      ['ipa-001', 'expected "active", ended in "wait call-back"'],
      ['drac-002', "last_error does not carry the simulator's message: BMC unreachable"],
    ]);
  });

  it('renders the table, the failures, the tasks and the wall time', () => {
    const verdicts = judgeNodes(plan, right);
    const text = renderSummary(
      {
        verdicts,
        ok: true,
        wallTimeMs: 12_345,
        tasks: [
          {
            name: 'DracRAID.checkRaidConfigJobs',
            spacing: 1,
            runs: 12,
            failures: 0,
            skipped: 0,
            average_duration: 0.00425,
            next_run_at: new Date(1_500).toISOString(),
            sweep: { visited: 3, handled: 2, errors: 0 },
          },
        ],
      },
      1_000,
    ).join('\n');
    expect(text).toContain('Summary: 6 nodes in 12.3 s — every node ended where it should');
    expect(text).toMatch(/drac\s+fail\s+clean failed\s+1\s+1/);
    expect(text).toMatch(/ipa\s+succeed\s+active\s+1\s+1/);
    expect(text).toContain('  inspect failed 1 · clean failed 1 · available 2 · deploy failed 1 · active 1');
    expect(text).toMatch(/ok {2}drac-002\s+clean failed\s+RAID configuration job JID_1 failed/);
    expect(text).toMatch(/DracRAID\.checkRaidConfigJobs\s+12\s+0\s+4\.3\s+2\s+in 0\.5 s/);
    expect(text).toContain('Wall time: 12.3 s');
  });

  it('says when the run was interrupted', () => {
    const text = renderSummary(
      {
        verdicts: judgeNodes(plan, right.slice(0, 4)),
        ok: false,
        interrupted: true,
        wallTimeMs: 1000,
        tasks: [],
      },
      0,
    ).join('\n');
    expect(text).toContain('Summary: 6 nodes in 1.0 s — interrupted, 4 where they should be so far');
  });
});
