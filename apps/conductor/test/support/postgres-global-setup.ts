// Run once per `vitest run` of this package: says in one line, rather than once per file, that the
// PostgreSQL half of the tests is skipped, and why. With CI set, an unreachable server fails the run.
import { POSTGRES_URL, postgresReachable } from './postgres-url.js';

export default async function checkPostgres(): Promise<void> {
  if (await postgresReachable()) return;
  console.warn(
    `PostgreSQL is not reachable at ${POSTGRES_URL}: the conductor's PostgreSQL tests are skipped ` +
      '(start it, or point DATABASE_URL at one; with CI set this fails instead).',
  );
}
