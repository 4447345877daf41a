// Run once per `vitest run` of this package: says in one line that the PostgreSQL tests are skipped,
// and why. With CI set, an unreachable server fails the run.
import { openPostgres, POSTGRES_URL } from './postgres.js';

export default async function checkPostgres(): Promise<void> {
  const database = await openPostgres();
  if (database) {
    await database.close();
    return;
  }
  console.warn(
    `PostgreSQL is not reachable at ${POSTGRES_URL}: the demo's PostgreSQL tests are skipped ` +
      '(start it, or point DATABASE_URL at one; with CI set this fails instead).',
  );
}
