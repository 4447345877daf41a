import { PriorityQueue } from './priority-queue.js';
import type { TaskState } from './task-state.js';

/** Runs due tasks at most `capacity` at a time; waiting ones start earliest due first. */
export interface Lane {
  readonly capacity: number;
  /** Runs started on this lane and not yet settled. */
  active: number;
  /** Due tasks waiting for a free slot, ordered by due time. */
  readonly queue: PriorityQueue<TaskState>;
  /** Set while the lane is starting runs, so a run that settles synchronously does not re-enter. */
  pumping: boolean;
}

/** A new, empty lane. */
export function createLane(capacity: number): Lane {
  return { capacity, active: 0, queue: new PriorityQueue<TaskState>(dueFirst), pumping: false };
}

/** Earlier due time first; equal due times in the order they were queued. */
export function dueFirst(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
