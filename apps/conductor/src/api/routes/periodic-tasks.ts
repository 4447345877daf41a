import type { ApiPlugin } from '../api-dependencies.js';
import { periodicTaskView } from '../periodic-task-view.js';
import { resource } from '../routing.js';

/**
 * `GET /v1/periodic-tasks`: each periodic task's figures (runs, failures, durations, next run, and a
 * per-node sweep's counters), in the API's conventions (snake_case, ISO 8601 times, seconds).
 */
export const periodicTaskRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/periodic-tasks', {
    GET: { handler: async () => ({ periodic_tasks: deps.periodicTasks().map(periodicTaskView) }) },
  });
};
