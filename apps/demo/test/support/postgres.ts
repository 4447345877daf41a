import { createDatabase, type Database } from '@ironic/conductor';

/** The PostgreSQL the tests use: `DATABASE_URL`, or the local default CI also uses. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Opens the test PostgreSQL (in `schema`, created if need be), or resolves undefined when it is
 * unreachable (the tests that need it skip). With CI set, an unreachable server is an error instead.
 */
export async function openPostgres(schema?: string): Promise<Database | undefined> {
  try {
    return await createDatabase({ url: POSTGRES_URL, ...(schema ? { schema } : {}) });
  } catch (error) {
    if (process.env.CI) {
      throw new Error(`PostgreSQL at ${POSTGRES_URL} is unreachable in CI: ${(error as Error).message}`);
    }
    return undefined;
  }
}
