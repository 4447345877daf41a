import type { ApiPlugin } from '../api-dependencies.js';

/** `GET /v1/periodic-tasks`: each periodic task's figures (runs, failures, durations, next run). */
export const periodicTaskRoutes: ApiPlugin = async (app, deps) => {
  app.get('/v1/periodic-tasks', async () => ({ periodic_tasks: deps.periodicTasks() }));
};
