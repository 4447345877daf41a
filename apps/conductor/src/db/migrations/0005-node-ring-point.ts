import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Each node's place on the conductors' hash rings (`ringPoint` of driver-base: the first 32 bits of the
 * MD5 of its UUID), kept by the database for existing and new rows alike, and indexed per driver: a
 * conductor selects the nodes its rings give it in SQL instead of reading every row.
 */
export const nodeRingPointMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('nodes')
      .addColumn('ring_point', 'bigint', (col) =>
        col.generatedAlwaysAs(sql`('x' || substr(md5(uuid), 1, 8))::bit(32)::bigint`).stored().notNull(),
      )
      .execute();
    await db.schema
      .createIndex('nodes_driver_ring_point_idx')
      .on('nodes')
      .columns(['driver', 'ring_point'])
      .execute();
  },

  // biome-ignore lint/suspicious/noExplicitAny: see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('nodes_driver_ring_point_idx').execute();
    await db.schema.alterTable('nodes').dropColumn('ring_point').execute();
  },
};
