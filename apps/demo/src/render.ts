import type { PeriodicTaskFigures } from './ironic-client.js';
import { PHASE_LABELS, PHASES } from './phases.js';
import type { DemoProgress } from './progress.js';

/** The order provision states are listed in: roughly the order nodes pass through them. */
const STATE_ORDER = [
  'enroll',
  'verifying',
  'manageable',
  'inspecting',
  'inspect wait',
  'inspect failed',
  'cleaning',
  'clean wait',
  'clean failed',
  'available',
  'deploying',
  'wait call-back',
  'deploy failed',
  'active',
  'error',
];

/** A bar of `width` cells: filled for the done share, `x` for the failed share. */
export function progressBar(done: number, failed: number, total: number, width: number): string {
  if (total === 0) return ' '.repeat(width);
  const full = Math.round((done / total) * width);
  const bad = Math.min(width - full, Math.round((failed / total) * width) || (failed > 0 ? 1 : 0));
  return `${'█'.repeat(full)}${'x'.repeat(bad)}${'░'.repeat(Math.max(0, width - full - bad))}`;
}

/** The phases block: one bar per phase with done/total and failures. */
export function renderPhases(progress: DemoProgress, barWidth = 30): string[] {
  const labelWidth = Math.max(...PHASES.map((phase) => PHASE_LABELS[phase].length));
  const totalWidth = Math.max(...[...progress.phases.values()].map((tally) => String(tally.total).length));
  return PHASES.map((phase) => {
    const tally = progress.phases.get(phase)!;
    const finished = tally.succeeded + tally.failed;
    const count = `${String(finished).padStart(totalWidth)}/${String(tally.total).padEnd(totalWidth)}`;
    const failed = tally.failed > 0 ? `  ${tally.failed} failed` : '';
    const running = tally.started - finished > 0 ? `  ${tally.started - finished} in progress` : '';
    const skipped = tally.skipped > 0 ? `  ${tally.skipped} stopped earlier` : '';
    const bar = progressBar(tally.succeeded, tally.failed, tally.total - tally.skipped, barWidth);
    return `  ${PHASE_LABELS[phase].padEnd(labelWidth)}  [${bar}] ${count}${failed}${running}${skipped}`;
  });
}

/** Nodes per provision state, in the order nodes pass through them. */
export function renderStates(states: ReadonlyMap<string, number>): string {
  const known = STATE_ORDER.filter((state) => states.has(state));
  const others = [...states.keys()].filter((state) => !STATE_ORDER.includes(state)).sort();
  const parts = [...known, ...others].map((state) => `${state} ${states.get(state)}`);
  return parts.length > 0 ? `  ${parts.join(' · ')}` : '  (no nodes yet)';
}

/** When the next run is (an ISO 8601 time), relative to `now` (epoch ms). */
export function formatNextRun(nextRunAt: string | null, now: number): string {
  if (nextRunAt === null) return '-';
  const seconds = (Date.parse(nextRunAt) - now) / 1000;
  return seconds <= 0 ? 'due' : `in ${seconds.toFixed(1)} s`;
}

/** A table with a header row; columns after the first are right-aligned. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  indent = '  ',
): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    indent +
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), ...rows.map(line)];
}

/** The periodic tasks table: runs, failures, average duration, next run. */
export function renderTasks(tasks: readonly PeriodicTaskFigures[], now: number): string[] {
  if (tasks.length === 0) return ['  (waiting for GET /v1/periodic-tasks)'];
  return table(
    ['task', 'runs', 'failures', 'avg ms', 'nodes handled', 'next run'],
    tasks.map((task) => [
      task.name,
      String(task.runs),
      String(task.failures),
      task.average_duration === null ? '-' : (task.average_duration * 1000).toFixed(1),
      task.sweep ? String(task.sweep.handled) : '-',
      formatNextRun(task.next_run_at, now),
    ]),
  );
}

/** The whole live block. */
export function renderLiveView(progress: DemoProgress, now: number, title: string): string[] {
  const seconds = ((now - progress.startedAt) / 1000).toFixed(1);
  return [
    `${title} — ${seconds} s`,
    '',
    'Phases',
    ...renderPhases(progress),
    '',
    'Nodes per provision state',
    renderStates(progress.states),
    '',
    'Periodic tasks',
    ...renderTasks(progress.tasks, now),
  ];
}
