import { describe, expect, it } from 'vitest';
import { InvalidDemoOption } from '../src/errors.js';
import { FAILURE_MESSAGES, planFleet } from '../src/fleet-plan.js';

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

describe('planFleet', () => {
  it('deals kinds in turn and fails the second node of each kind', () => {
    const plan = planFleet({ nodes: 10, failEvery: 16, uuid });
    expect(plan.map((node) => `${node.name}${node.failure ? '!' : ''}`)).toEqual([
      'drac-001',
      'discoverd-001',
      'ipa-001',
      'drac-002!',
      'discoverd-002!',
      'ipa-002!',
      'drac-003',
      'discoverd-003',
      'ipa-003',
      'drac-004',
    ]);
    expect(plan[3]?.expected).toEqual({ state: 'clean failed', lastErrorIncludes: FAILURE_MESSAGES.drac });
    expect(plan[4]?.expected).toEqual({
      state: 'inspect failed',
      lastErrorIncludes: FAILURE_MESSAGES.discoverd,
    });
    expect(plan[5]?.expected).toEqual({ state: 'deploy failed', lastErrorIncludes: FAILURE_MESSAGES.ipa });
    expect(plan[2]?.expected).toEqual({ state: 'active', lastErrorIncludes: null });
    expect(plan[0]?.expected).toEqual({ state: 'available', lastErrorIncludes: null });
  });

  it('fails every n-th node of a kind after the second, and none with 0', () => {
    const plan = planFleet({ nodes: 100, failEvery: 16, uuid });
    const failing = plan.filter((node) => node.failure).map((node) => node.name);
    expect(failing).toEqual([
      'drac-002',
      'discoverd-002',
      'ipa-002',
      'drac-018',
      'discoverd-018',
      'ipa-018',
      'drac-034',
    ]);
    expect(planFleet({ nodes: 30, failEvery: 0, uuid }).some((node) => node.failure)).toBe(false);
  });

  it('gives every node its own MAC and UUID', () => {
    const plan = planFleet({ nodes: 300, failEvery: 16 });
    expect(new Set(plan.map((node) => node.macs[0])).size).toBe(300);
    expect(new Set(plan.map((node) => node.uuid)).size).toBe(300);
    expect(plan[257]?.macs).toEqual(['52:54:00:00:01:01']);
  });

  it('refuses a fleet size or failure spacing it cannot use', () => {
    expect(() => planFleet({ nodes: 0, failEvery: 16 })).toThrow(InvalidDemoOption);
    expect(() => planFleet({ nodes: 2.5, failEvery: 16 })).toThrow(
      /--nodes: expected an integer ≥ 1, got 2.5/,
    );
    expect(() => planFleet({ nodes: 5, failEvery: -1 })).toThrow(/--fail-every/);
  });
});
