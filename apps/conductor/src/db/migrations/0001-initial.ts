import { type Kysely, type Migration, sql } from 'kysely';

const emptyJson = sql`'{}'::jsonb`;

/** The nodes and conductors tables, and the indexes the per-node periodic filters use. */
export const initialMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('nodes')
      .addColumn('uuid', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text')
      .addColumn('driver', 'text', (col) => col.notNull())
      .addColumn('driver_info', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('driver_internal_info', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('properties', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('instance_info', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('instance_uuid', 'text')
      .addColumn('provision_state', 'text', (col) => col.notNull().defaultTo('enroll'))
      .addColumn('target_provision_state', 'text')
      .addColumn('power_state', 'text')
      .addColumn('target_power_state', 'text')
      .addColumn('maintenance', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('maintenance_reason', 'text')
      .addColumn('reservation', 'text')
      .addColumn('last_error', 'text')
      .addColumn('clean_step', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('raid_config', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('target_raid_config', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('extra', 'jsonb', (col) => col.notNull().defaultTo(emptyJson))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz')
      .addColumn('provision_updated_at', 'timestamptz')
      .execute();

    // Names are unique when set; a partial index leaves any number of unnamed nodes.
    await db.schema
      .createIndex('nodes_name_unique')
      .on('nodes')
      .column('name')
      .unique()
      .where(sql.ref('name'), 'is not', null)
      .execute();
    await db.schema.createIndex('nodes_provision_state_idx').on('nodes').column('provision_state').execute();
    await db.schema
      .createIndex('nodes_driver_provision_state_idx')
      .on('nodes')
      .columns(['driver', 'provision_state'])
      .execute();
    await db.schema
      .createIndex('nodes_maintenance_provision_state_idx')
      .on('nodes')
      .columns(['maintenance', 'provision_state'])
      .execute();
    // Only held locks are indexed: the release of a dead conductor's locks looks up a handful of rows.
    await db.schema
      .createIndex('nodes_reservation_idx')
      .on('nodes')
      .column('reservation')
      .where(sql.ref('reservation'), 'is not', null)
      .execute();
    await db.schema.createIndex('nodes_instance_uuid_idx').on('nodes').column('instance_uuid').execute();

    await db.schema
      .createTable('conductors')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('hostname', 'text', (col) => col.notNull())
      .addColumn('started_at', 'timestamptz', (col) => col.notNull())
      .addColumn('last_heartbeat_at', 'timestamptz', (col) => col.notNull())
      .addColumn('drivers', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('online', 'boolean', (col) => col.notNull().defaultTo(true))
      .execute();
  },

  // biome-ignore lint/suspicious/noExplicitAny: see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('conductors').execute();
    await db.schema.dropTable('nodes').execute();
  },
};
