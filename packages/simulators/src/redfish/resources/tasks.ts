import {
  JOBS_URI,
  TASK_MONITORS_URI,
  TASK_SERVICE_URI,
  TASKS_URI,
  taskMonitorUri,
  taskUri,
} from '../paths.js';
import type { JobInfo } from '../types.js';
import { collection, type Json, link, odata, redfishTime, STATUS_OK } from './common.js';
import { dellJob } from './jobs.js';

const TASK_STATES: Readonly<Record<JobInfo['state'], string>> = {
  Scheduled: 'Starting',
  Running: 'Running',
  Completed: 'Completed',
  CompletedWithErrors: 'Completed',
  Failed: 'Exception',
};

const TASK_STATUSES: Readonly<Record<JobInfo['state'], string>> = {
  Scheduled: 'OK',
  Running: 'OK',
  Completed: 'OK',
  CompletedWithErrors: 'Warning',
  Failed: 'Critical',
};

/** Whether a job is still to run or running: its task monitor answers 202 meanwhile. */
export function jobIsActive(job: JobInfo): boolean {
  return job.state === 'Scheduled' || job.state === 'Running';
}

/** `GET /redfish/v1/TaskService`. */
export function taskService(now: number): Json {
  return {
    ...odata(TASK_SERVICE_URI, 'TaskService', 'v1_1_4'),
    CompletedTaskOverWritePolicy: 'Oldest',
    DateTime: redfishTime(now),
    Description: 'Represents the properties for the service itself.',
    Id: 'TaskService',
    LifeCycleEventOnTaskStateChange: true,
    Name: 'Task Service',
    ServiceEnabled: true,
    Status: STATUS_OK,
    Tasks: link(TASKS_URI),
  };
}

/** `GET /redfish/v1/TaskService/Tasks`: every job of the queue, as a DMTF Task. */
export function taskCollection(jobs: readonly JobInfo[]): Json {
  return collection(
    TASKS_URI,
    'TaskCollection',
    'Task Collection',
    jobs.map((job) => taskUri(job.id)),
  );
}

/**
 * The DMTF Task view of a job at `/redfish/v1/TaskService/Tasks/{id}` (always 200, whatever the task's
 * state), carrying the Dell job as OEM data and naming its task monitor.
 */
export function task(job: JobInfo): Json {
  const { '@odata.context': _context, '@odata.id': _id, ...dell } = dellJob(job, JOBS_URI);
  const ended = !jobIsActive(job);
  return {
    ...odata(taskUri(job.id), 'Task', 'v1_4_3'),
    Description: 'Server Configuration and other Tasks running on iDRAC are listed here',
    ...(ended ? { EndTime: redfishTime(job.endsAt) } : {}),
    Id: job.id,
    Messages: [
      {
        Message: job.message,
        MessageArgs: [],
        'MessageArgs@odata.count': 0,
        MessageId: `IDRAC.2.8.${job.messageId}`,
        Severity: job.state === 'Failed' ? 'Critical' : 'OK',
      },
    ],
    'Messages@odata.count': 1,
    Name: job.name,
    Oem: { Dell: dell },
    PercentComplete: job.percentComplete,
    StartTime: redfishTime(job.createdAt),
    TaskMonitor: taskMonitorUri(job.id),
    TaskState: TASK_STATES[job.state],
    TaskStatus: TASK_STATUSES[job.state],
  };
}

/**
 * What the task monitor of a job answers, and the body of the 202 that started it: the Task, without
 * its `@odata.id` — sushy 4.3 takes a 202 body's `@odata.id` as the monitor to poll, and the Task
 * resource itself answers 200 at once.
 */
export function taskMonitorBody(job: JobInfo): Json {
  const { '@odata.context': _context, '@odata.id': _id, ...body } = task(job);
  return body;
}

/** The path under which task monitors live, for routing. */
export const TASK_MONITOR_PREFIX = `${TASK_MONITORS_URI}/`;
