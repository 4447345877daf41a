// The slots of a task's row.
/** When the next run falls due, jitter included. */
export const AT = 0;
/** The cadence point of the next run, before jitter. */
export const NOMINAL_AT = 1;
export const LAST_STARTED_AT = 2;
export const LAST_FINISHED_AT = 3;
export const LAST_DURATION_MS = 4;
export const TOTAL_DURATION_MS = 5;

const ROW = 6;
const INITIAL_ROWS = 16;

/**
 * The times of every task of a worker, one row of doubles per task in one `Float64Array`. As object fields,
 * each double is a heap number of its own (Node.js keeps doubles boxed): six objects per task for the
 * garbage collector to copy and trace, 144 bytes where a row takes 48, and each write a store into a box.
 * Rows are handed out by `take` and given back by `give` once the task can no longer run.
 */
export class TaskTimes {
  /** The rows; replaced by a larger copy when full, so read it afresh each time. */
  data = new Float64Array(ROW * INITIAL_ROWS);
  readonly #free: number[] = [];
  #rows = 0;

  /**
   * Makes room for `count` more rows in one step, so that adding 100,000 tasks at once sizes the table
   * once (to fit) rather than doubling it a dozen times, leaving each old table for the collector.
   */
  reserve(count: number): void {
    const needed = (this.#rows + Math.max(0, count - this.#free.length)) * ROW;
    if (needed > this.data.length) this.#resize(needed);
  }

  /** A row for a new task (its start): times unset (NaN), durations 0. */
  take(): number {
    let start = this.#free.pop();
    if (start === undefined) {
      start = this.#rows++ * ROW;
      if (start + ROW > this.data.length) this.#resize(this.data.length * 2);
    }
    const data = this.data;
    data[start + AT] = Number.NaN;
    data[start + NOMINAL_AT] = Number.NaN;
    data[start + LAST_STARTED_AT] = Number.NaN;
    data[start + LAST_FINISHED_AT] = Number.NaN;
    data[start + LAST_DURATION_MS] = 0;
    data[start + TOTAL_DURATION_MS] = 0;
    return start;
  }

  /** Gives a row back for a later task. */
  give(start: number): void {
    this.#free.push(start);
  }

  #resize(length: number): void {
    const larger = new Float64Array(length);
    larger.set(this.data);
    this.data = larger;
  }

  /** How many rows are in use. */
  get size(): number {
    return this.#rows - this.#free.length;
  }
}
