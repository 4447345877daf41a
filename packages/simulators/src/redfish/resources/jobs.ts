import { JOBS_URI, jobUri, TASKS_URI } from '../paths.js';
import type { JobInfo } from '../types.js';

type Json = Record<string, unknown>;

/** iDRAC's job timestamps: local time without an offset, e.g. `2022-02-09T04:42:40`. */
function idracTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/** A Dell job (`#DellJob`) as served at `{base}/{id}`. */
export function dellJob(job: JobInfo, base: string): Json {
  const ended = job.state === 'Completed' || job.state === 'Failed' || job.state === 'CompletedWithErrors';
  const started = job.state !== 'Scheduled';
  return {
    '@odata.context': '/redfish/v1/$metadata#DellJob.DellJob',
    '@odata.id': jobUri(job.id, base),
    '@odata.type': '#DellJob.v1_1_0.DellJob',
    ActualRunningStartTime: started ? idracTime(job.createdAt) : null,
    ActualRunningStopTime: ended ? idracTime(job.endsAt) : null,
    CompletionTime: ended ? idracTime(job.endsAt) : null,
    Description: 'Job Instance',
    EndTime: 'TIME_NA',
    Id: job.id,
    JobState: job.state,
    JobType: job.jobType,
    Message: job.message,
    MessageArgs: [],
    'MessageArgs@odata.count': 0,
    MessageId: job.messageId,
    Name: job.name,
    PercentComplete: job.percentComplete,
    StartTime: idracTime(job.createdAt),
    TargetSettingsURI: null,
  };
}

/** The Dell job queue at `base`; `expand` embeds the jobs themselves (`$expand=*($levels=1)`). */
export function dellJobCollection(jobs: readonly JobInfo[], base: string, expand: boolean): Json {
  return {
    '@odata.context': '/redfish/v1/$metadata#DellJobCollection.DellJobCollection',
    '@odata.id': base,
    '@odata.type': '#DellJobCollection.DellJobCollection',
    Description: 'Collection of Job Instances',
    Id: 'JobQueue',
    Members: jobs.map((job) => (expand ? dellJob(job, base) : { '@odata.id': jobUri(job.id, base) })),
    'Members@odata.count': jobs.length,
    Name: 'JobQueue',
  };
}

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

/** The DMTF Task view of a job at `/redfish/v1/TaskService/Tasks/{id}`, carrying the Dell job as OEM data. */
export function task(job: JobInfo): Json {
  const { '@odata.context': _context, '@odata.id': _id, ...dell } = dellJob(job, JOBS_URI);
  return {
    '@odata.context': '/redfish/v1/$metadata#Task.Task',
    '@odata.id': `${TASKS_URI}/${job.id}`,
    '@odata.type': '#Task.v1_4_3.Task',
    Description: 'Server Configuration and other Tasks running on iDRAC are listed here',
    Id: job.id,
    Messages: [
      { Message: job.message, MessageArgs: [], 'MessageArgs@odata.count': 0, MessageId: job.messageId },
    ],
    'Messages@odata.count': 1,
    Name: job.name,
    Oem: { Dell: dell },
    PercentComplete: job.percentComplete,
    TaskState: TASK_STATES[job.state],
    TaskStatus: TASK_STATUSES[job.state],
  };
}
