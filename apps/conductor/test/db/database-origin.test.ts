import { createServer } from 'node:net';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { isFromDatabase } from '../../src/db/database-origin.js';
import { isDatabaseUnavailable } from '../../src/db/database-unavailable.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { embeddedTestDatabase, POSTGRES_URL, postgresReachable } from '../support/test-databases.js';

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const postgresUp = await postgresReachable();

describe('errors of the database layer, told apart from other refused connections', () => {
  it("marks a query's failure as the database's, and a refused connection to anything else as not", async () => {
    const { url, schema } = await embeddedTestDatabase();
    const database = await createDatabase({ url, schema });
    try {
      const failed = await sql`select * from no_such_table`.execute(database.db).catch((error) => error);
      expect(isFromDatabase(failed)).toBe(true);
      expect(isDatabaseUnavailable(failed)).toBe(false);
    } finally {
      await database.close();
    }

    // What a driver sees when its BMC refuses: a refused connection, with nothing of the database.
    const port = await closedPort();
    const bmc = await fetch(`http://127.0.0.1:${port}/redfish/v1`).catch((error) => error);
    const wrapped = new Error('BMC unreachable', { cause: bmc });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isFromDatabase(wrapped)).toBe(false);
  });

  it.skipIf(!postgresUp)(
    'marks the failures of a database that went away as its own, and as an outage',
    async () => {
      const target = new URL(POSTGRES_URL);
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      const database = await createDatabase({ url: proxy.rewrite(POSTGRES_URL), poolSize: 1 });
      try {
        await sql`select 1`.execute(database.db);
        proxy.cut();
        const lost = await sql`select 1`.execute(database.db).catch((error) => error);
        expect(isFromDatabase(lost)).toBe(true);
        expect(isDatabaseUnavailable(lost)).toBe(true);
      } finally {
        proxy.restore();
        await database.close();
        await proxy.stop();
      }
    },
  );
});
