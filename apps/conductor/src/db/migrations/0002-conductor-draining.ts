import type { Kysely, Migration } from 'kysely';

/**
 * `conductors.draining`: set by a conductor as soon as it is told to stop, so the others drop it from
 * their hash rings at once while its own reservations stay protected until it has finished and gone offline.
 */
export const conductorDrainingMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('conductors')
      .addColumn('draining', 'boolean', (col) => col.notNull().defaultTo(false))
      .execute();
  },

  // biome-ignore lint/suspicious/noExplicitAny: see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('conductors').dropColumn('draining').execute();
  },
};
