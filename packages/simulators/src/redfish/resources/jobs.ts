import { jobUri } from '../paths.js';
import type { JobInfo } from '../types.js';

import type { Json } from './common.js';

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
