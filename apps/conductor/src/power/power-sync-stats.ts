/** What one sweep of the power-state sync did, or is doing. */
export interface PowerSyncSweep {
  /** When it started and finished (epoch ms, the conductor's clock); `finishedAt` null while it runs. */
  startedAt: number;
  finishedAt: number | null;
  /** Real (wall-clock) milliseconds it took; null while it runs. */
  durationMs: number | null;
  /** Nodes whose power state was read from their BMC. */
  checked: number;
  /** Nodes whose record was corrected, or whose hardware was powered back to the stored state. */
  changed: number;
  /** Nodes whose BMC did not answer (or answered `error`), or that could not be powered back. */
  failed: number;
  /** Nodes put in maintenance with fault `power failure` (also counted as changed). */
  maintenance: number;
}

/** The power-state sync's figures: the last sweep, and totals since the conductor started. */
export interface PowerSyncFigures {
  sweeps: number;
  lastSweep: Readonly<PowerSyncSweep> | null;
  totals: Readonly<Pick<PowerSyncSweep, 'checked' | 'changed' | 'failed' | 'maintenance'>>;
}

/** How one node's sync ended, as the figures count it. */
export type PowerSyncOutcome = 'in-sync' | 'recorded' | 'forced' | 'updated' | 'maintenance' | 'failed';

const CHANGED: ReadonlySet<PowerSyncOutcome> = new Set(['recorded', 'forced', 'updated', 'maintenance']);

/** Counts what the power-state sync does, per sweep and in total. */
export class PowerSyncStats {
  #sweeps = 0;
  #current: PowerSyncSweep | null = null;
  #last: PowerSyncSweep | null = null;
  #startedAtReal = 0;
  readonly #totals = { checked: 0, changed: 0, failed: 0, maintenance: 0 };

  /** A sweep starts at `now` (the conductor's clock). */
  begin(now: number): void {
    this.#sweeps += 1;
    this.#startedAtReal = performance.now();
    this.#current = {
      startedAt: now,
      finishedAt: null,
      durationMs: null,
      checked: 0,
      changed: 0,
      failed: 0,
      maintenance: 0,
    };
  }

  /** The sweep in progress is over. */
  end(now: number): Readonly<PowerSyncSweep> | null {
    const sweep = this.#current;
    if (!sweep) return null;
    sweep.finishedAt = now;
    sweep.durationMs = performance.now() - this.#startedAtReal;
    this.#last = sweep;
    this.#current = null;
    return sweep;
  }

  /** A node's power state was read (or the read was tried). */
  checked(): void {
    this.#add('checked');
  }

  /** How a node's sync ended. */
  outcome(outcome: PowerSyncOutcome, failed = false): void {
    if (CHANGED.has(outcome)) this.#add('changed');
    if (outcome === 'maintenance') this.#add('maintenance');
    if (failed || outcome === 'failed') this.#add('failed');
  }

  /** The figures as `/v1/periodic-tasks` and `/metrics` show them. */
  get figures(): PowerSyncFigures {
    return {
      sweeps: this.#sweeps,
      lastSweep: this.#last ? { ...this.#last } : null,
      totals: { ...this.#totals },
    };
  }

  #add(key: keyof PowerSyncStats['figures']['totals']): void {
    this.#totals[key] += 1;
    if (this.#current) this.#current[key] += 1;
  }
}
