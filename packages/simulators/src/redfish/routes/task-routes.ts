import { TASK_MONITORS_URI, TASK_SERVICE_URI, TASKS_URI, taskMonitorUri } from '../paths.js';
import { jobIsActive, task, taskCollection, taskMonitorBody, taskService } from '../resources/tasks.js';
import { at, notFound, ok, type RedfishResponse, type Route, under } from '../route-kit.js';
import type { JobInfo } from '../types.js';

/** How long a client is asked to wait between two looks at a running task's monitor. */
export const TASK_RETRY_AFTER_SECONDS = 5;

/**
 * `Retry-After` as an HTTP date on the BMC's clock. Not as delta-seconds: sushy 4.3 sleeps on that
 * header's string as is and crashes (`time.sleep('5')`).
 */
function retryAfter(now: number): string {
  return new Date(now + TASK_RETRY_AFTER_SECONDS * 1000).toUTCString();
}

function monitorHeaders(job: JobInfo, now: number): Record<string, string> {
  return { Location: taskMonitorUri(job.id), 'Retry-After': retryAfter(now) };
}

/** The 202 of a request that started a job: `Location` is the job's task monitor, the body its Task. */
export function acceptedJob(job: JobInfo, now: number): RedfishResponse {
  return { status: 202, headers: monitorHeaders(job, now), body: taskMonitorBody(job) };
}

/** The TaskService, its Tasks (always 200), and the task monitors (202 while the job runs, then the Task). */
export const taskRoutes: readonly Route[] = [
  at(TASK_SERVICE_URI, { GET: (_r, { now }) => ok(taskService(now)) }),
  at(TASKS_URI, { GET: (_r, { state }) => ok(taskCollection(state.jobs())) }),
  under(TASKS_URI, {
    GET: (request, { state }, id) => {
      const job = state.job(id);
      if (job === undefined) throw notFound(request.path);
      return ok(task(job));
    },
  }),
  under(TASK_MONITORS_URI, {
    GET: (request, { state, now }, id) => {
      const job = state.job(id);
      if (job === undefined) throw notFound(request.path);
      if (jobIsActive(job))
        return { status: 202, headers: monitorHeaders(job, now), body: taskMonitorBody(job) };
      return ok(task(job));
    },
  }),
];
