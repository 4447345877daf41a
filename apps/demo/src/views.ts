import type { PhaseEvent } from './node-flow.js';
import { PHASE_LABELS, PHASES, type Phase } from './phases.js';
import type { DemoProgress } from './progress.js';
import { renderLiveView, renderStates } from './render.js';

/** Where the run's progress is shown. */
export interface ProgressView {
  start(): void;
  /** A phase started or ended on a node (after `progress` counted it). */
  phaseEvent(event: PhaseEvent): void;
  /** Draws a last time and stops. */
  stop(): void;
}

/** Something to write to: `process.stdout`, or a collecting stream in tests. */
export interface Output {
  write(text: string): unknown;
  /** The terminal's width, when it is one. */
  readonly columns?: number;
}

/**
 * The terminal's live view: redraws one block (phase bars, nodes per state, periodic tasks) in place with
 * plain ANSI escapes, a few times a second.
 */
export class LiveView implements ProgressView {
  #lines = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly progress: DemoProgress,
    private readonly out: Output,
    private readonly title: string,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.out.write('\x1b[?25l'); // hide the cursor while redrawing
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), this.intervalMs);
  }

  phaseEvent(): void {}

  stop(): void {
    clearInterval(this.#timer);
    this.#draw();
    this.out.write('\x1b[?25h\n');
  }

  #draw(): void {
    // A line wider than the terminal would wrap, and the redraw would go back too few lines.
    const width = Math.max(20, (this.out.columns ?? Number.POSITIVE_INFINITY) - 1);
    const lines = renderLiveView(this.progress, Date.now(), this.title).map((line) =>
      line.length > width ? `${line.slice(0, width - 1)}…` : line,
    );
    // Back to the block's first line, clear to the end of the screen, draw again.
    const up = this.#lines > 0 ? `\x1b[${this.#lines}F\x1b[0J` : '';
    this.out.write(`${up}${lines.join('\n')}\n`);
    this.#lines = lines.length;
  }
}

/** Plain log lines for a pipe or a CI log: phase milestones, every failure, and the states every few seconds. */
export class PlainView implements ProgressView {
  #timer: NodeJS.Timeout | undefined;
  readonly #announced = new Set<Phase>();

  constructor(
    private readonly progress: DemoProgress,
    private readonly out: Output,
    private readonly title: string,
    private readonly statesEveryMs = 5000,
  ) {}

  start(): void {
    this.#line(this.title);
    this.#timer = setInterval(
      () => this.#line(`nodes:${renderStates(this.progress.states)}`),
      this.statesEveryMs,
    );
  }

  phaseEvent(event: PhaseEvent): void {
    const tally = this.progress.phases.get(event.phase)!;
    const label = PHASE_LABELS[event.phase];
    if (event.status === 'started' && tally.started === 1) this.#line(`${label}: started`);
    if (event.status === 'failed') {
      this.#line(
        `${label}: ${event.node.name} failed in "${event.state ?? 'unknown'}": ${event.message ?? ''}`,
      );
    }
    if (event.status === 'started') return;
    // A failure can finish later phases too: the nodes still missing there will never come.
    for (const phase of PHASES) {
      const done = this.progress.phases.get(phase)!;
      if (this.#announced.has(phase) || done.started === 0 || !this.progress.isFinished(phase)) continue;
      this.#announced.add(phase);
      const reached = done.total - done.skipped;
      this.#line(
        `${PHASE_LABELS[phase]}: done, ${done.succeeded}/${reached} succeeded, ${done.failed} failed`,
      );
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#line(`nodes:${renderStates(this.progress.states)}`);
  }

  #line(text: string): void {
    const seconds = ((Date.now() - this.progress.startedAt) / 1000).toFixed(1).padStart(6);
    this.out.write(`[${seconds} s] ${text}\n`);
  }
}
