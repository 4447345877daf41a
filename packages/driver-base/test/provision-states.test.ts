import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  isFailureState,
  isProvisionState,
  nextProvisionState,
  ProvisionState as S,
  targetAfter,
} from '../src/provision-states.js';

describe('provision state machine', () => {
  it.each([
    [S.ENROLL, 'manage', S.VERIFYING],
    [S.VERIFYING, 'done', S.MANAGEABLE],
    [S.VERIFYING, 'fail', S.ENROLL],
    [S.MANAGEABLE, 'inspect', S.INSPECTING],
    [S.INSPECTING, 'wait', S.INSPECTWAIT],
    [S.INSPECTWAIT, 'done', S.MANAGEABLE],
    [S.INSPECTWAIT, 'abort', S.INSPECTFAIL],
    [S.INSPECTFAIL, 'inspect', S.INSPECTING],
    [S.MANAGEABLE, 'clean', S.CLEANING],
    [S.CLEANING, 'wait', S.CLEANWAIT],
    [S.CLEANWAIT, 'resume', S.CLEANING],
    [S.CLEANING, 'manage', S.MANAGEABLE],
    [S.CLEANWAIT, 'fail', S.CLEANFAIL],
    [S.CLEANFAIL, 'manage', S.MANAGEABLE],
    [S.MANAGEABLE, 'provide', S.CLEANING],
    [S.CLEANING, 'done', S.AVAILABLE],
    [S.AVAILABLE, 'deploy', S.DEPLOYING],
    [S.DEPLOYING, 'wait', S.DEPLOYWAIT],
    [S.DEPLOYWAIT, 'resume', S.DEPLOYING],
    [S.DEPLOYING, 'done', S.ACTIVE],
    [S.DEPLOYWAIT, 'fail', S.DEPLOYFAIL],
    [S.ACTIVE, 'delete', S.DELETING],
    [S.DELETING, 'clean', S.CLEANING],
    [S.DELETING, 'fail', S.ERROR],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextProvisionState(from, event)).toBe(to);
  });

  it.each([
    [S.ENROLL, 'inspect'],
    [S.AVAILABLE, 'clean'],
    [S.ACTIVE, 'deploy'],
    [S.MANAGEABLE, 'deploy'],
    [S.CLEANING, 'abort'],
    [S.DEPLOYWAIT, 'abort'],
    [S.INSPECTFAIL, 'provide'],
  ] as const)('refuses %s --%s-->', (from, event) => {
    expect(nextProvisionState(from, event)).toBeUndefined();
    expect(allowedEvents(from)).not.toContain(event);
  });

  it('computes targets as Ironic does', () => {
    expect(targetAfter(S.MANAGEABLE, 'done', S.MANAGEABLE)).toBeNull();
    expect(targetAfter(S.INSPECTING, 'inspect', null)).toBe(S.MANAGEABLE);
    expect(targetAfter(S.CLEANING, 'clean', null, S.MANAGEABLE)).toBe(S.MANAGEABLE);
    expect(targetAfter(S.CLEANWAIT, 'wait', S.MANAGEABLE)).toBe(S.MANAGEABLE);
    expect(targetAfter(S.CLEANFAIL, 'fail', S.MANAGEABLE)).toBe(S.MANAGEABLE);
    expect(targetAfter(S.CLEANING, 'provide', null)).toBe(S.AVAILABLE);
  });

  it('knows its states and failure states', () => {
    expect(isProvisionState('wait call-back')).toBe(true);
    expect(isProvisionState('deploywait')).toBe(false);
    expect(isFailureState(S.CLEANFAIL)).toBe(true);
    expect(isFailureState(S.ERROR)).toBe(true);
    expect(isFailureState(S.CLEANWAIT)).toBe(false);
  });
});
