import type { Kysely, Migration } from 'kysely';

/**
 * `conductors.ring`: the ring each conductor acts on (its members and their drivers), published with its
 * heartbeat. A node changes owner only once the old owner's published ring no longer gives it the node,
 * so two conductors never visit one node at once while the members change. Null: it claims nothing.
 */
export const conductorRingMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('conductors').addColumn('ring', 'jsonb').execute();
  },

  // biome-ignore lint/suspicious/noExplicitAny: see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('conductors').dropColumn('ring').execute();
  },
};
