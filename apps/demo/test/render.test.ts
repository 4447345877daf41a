import { describe, expect, it } from 'vitest';
import { type PlannedNode, planFleet } from '../src/fleet-plan.js';
import type { Phase } from '../src/phases.js';
import { DemoProgress } from '../src/progress.js';
import { formatNextRun, progressBar, renderLiveView, renderStates } from '../src/render.js';
import { PlainView } from '../src/views.js';
import { CollectingOutput } from './support/collecting-output.js';

describe('the live view', () => {
  it('draws bars with done and failed shares', () => {
    expect(progressBar(5, 0, 10, 10)).toBe('█████░░░░░');
    expect(progressBar(5, 5, 10, 10)).toBe('█████xxxxx');
    expect(progressBar(9, 1, 100, 10)).toBe('█x░░░░░░░░'); // one failure always shows
    expect(progressBar(0, 0, 0, 4)).toBe('    ');
  });

  it('lists states in the order nodes go through them', () => {
    expect(
      renderStates(
        new Map([
          ['active', 2],
          ['enroll', 1],
          ['clean wait', 3],
        ]),
      ),
    ).toBe('  enroll 1 · clean wait 3 · active 2');
  });

  it('says when a task runs next', () => {
    expect(formatNextRun(null, 0)).toBe('-');
    expect(formatNextRun('1970-01-01T00:00:00.900000+00:00', 1000)).toBe('due');
    expect(formatNextRun('1970-01-01T00:00:02.500000+00:00', 1000)).toBe('in 1.5 s');
  });

  it('counts each phase over the kinds that go through it', () => {
    const progress = new DemoProgress(planFleet({ nodes: 6, failEvery: 0 }), 0);
    const [drac] = progress.plan;
    progress.record({ node: drac!, phase: 'clean', status: 'started' });
    progress.record({ node: drac!, phase: 'clean', status: 'failed', message: 'x' });
    const lines = renderLiveView(progress, 2500, 'Demo');
    expect(lines[0]).toBe('Demo — 2.5 s');
    expect(lines.find((line) => line.includes('enroll  '))).toMatch(/0\/6$/);
    expect(lines.find((line) => line.includes('clean: RAID-1 root'))).toMatch(/1\/2 {2}1 failed$/);
    expect(lines.find((line) => line.includes('inspect (discoverd)'))).toMatch(/0\/2$/);
    expect(lines.find((line) => line.includes('provide'))).toMatch(/0\/6 {2}1 stopped earlier$/);
  });
});

describe('the plain view', () => {
  it('logs phases starting, failures, and a phase done once the nodes missing there stopped earlier', () => {
    const progress = new DemoProgress(planFleet({ nodes: 2, failEvery: 0 }), Date.now());
    const [drac, discoverd] = progress.plan as [PlannedNode, PlannedNode];
    const out = new CollectingOutput();
    const view = new PlainView(progress, out, 'Demo', 60_000);
    const event = (node: PlannedNode, phase: Phase, status: 'started' | 'succeeded' | 'failed') => {
      const phaseEvent = {
        node,
        phase,
        status,
        ...(status === 'failed' ? { state: 'clean failed', message: 'boom' } : {}),
      };
      progress.record(phaseEvent);
      view.phaseEvent(phaseEvent);
    };
    view.start();
    event(discoverd, 'provide', 'started');
    event(discoverd, 'provide', 'succeeded');
    expect(out.text).not.toContain('provide: done');
    event(drac, 'clean', 'started');
    event(drac, 'clean', 'failed');
    view.stop();
    const lines = out.text.split('\n').map((line) => line.replace(/^\[\s*\d+\.\d s\] /, ''));
    expect(lines).toEqual([
      'Demo',
      'provide: started',
      'clean: RAID-1 root (drac): started',
      'clean: RAID-1 root (drac): drac-001 failed in "clean failed": boom',
      'clean: RAID-1 root (drac): done, 0/1 succeeded, 1 failed',
      'provide: done, 1/1 succeeded, 0 failed',
      'nodes:  (no nodes yet)',
      '',
    ]);
  });
});
