import type { FailedJobState, JobInfo, JobOperation, JobState } from './types.js';

/** What the BMC stores about a job; its state is derived from the clock when read. */
export interface JobRecord {
  readonly id: string;
  readonly name: string;
  readonly operation: JobOperation;
  readonly createdAt: number;
  readonly durationMs: number;
  /** Set when the BMC was told to fail jobs at the time this one was created. */
  readonly failMessage: string | null;
  /** The state the job ends in when it fails. */
  readonly failedState: FailedJobState;
}

/** Dell LC message ids a job reports in each phase. */
export const JOB_MESSAGES = {
  scheduled: { messageId: 'JCP001', message: 'Task successfully scheduled.' },
  running: { messageId: 'PR20', message: 'Job in progress.' },
  completed: { messageId: 'PR19', message: 'Job completed successfully.' },
  failedMessageId: 'STOR023',
} as const;

/** Share of a job's duration it spends `Scheduled` before it starts running. */
const SCHEDULED_SHARE = 0.1;

/**
 * The job as it stands at `now`: `Scheduled` for the first tenth of its duration, then `Running` with
 * `PercentComplete` rising, then `Completed` (or `Failed`) once the duration has passed.
 */
export function jobAt(record: JobRecord, now: number): JobInfo {
  const elapsed = now - record.createdAt;
  const endsAt = record.createdAt + record.durationMs;
  const base = {
    id: record.id,
    name: record.name,
    jobType: 'RealTimeNoRebootConfiguration' as const,
    operation: record.operation,
    createdAt: record.createdAt,
    endsAt,
  };
  if (elapsed >= record.durationMs) {
    if (record.failMessage !== null) {
      return phase(base, record.failedState, 100, JOB_MESSAGES.failedMessageId, record.failMessage);
    }
    return phase(base, 'Completed', 100, JOB_MESSAGES.completed.messageId, JOB_MESSAGES.completed.message);
  }
  const scheduledFor = record.durationMs * SCHEDULED_SHARE;
  if (elapsed < scheduledFor) {
    return phase(base, 'Scheduled', 0, JOB_MESSAGES.scheduled.messageId, JOB_MESSAGES.scheduled.message);
  }
  const runningShare = (elapsed - scheduledFor) / (record.durationMs - scheduledFor);
  const percent = Math.min(99, Math.max(1, Math.floor(runningShare * 100)));
  return phase(base, 'Running', percent, JOB_MESSAGES.running.messageId, JOB_MESSAGES.running.message);
}

function phase(
  base: Omit<JobInfo, 'state' | 'percentComplete' | 'messageId' | 'message'>,
  state: JobState,
  percentComplete: number,
  messageId: string,
  message: string,
): JobInfo {
  return { ...base, state, percentComplete, messageId, message };
}

/** Whether the job has reached a final state at `now`. */
export function jobHasEnded(record: JobRecord, now: number): boolean {
  return now - record.createdAt >= record.durationMs;
}
