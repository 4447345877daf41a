import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Ironic's ports: a node's network interfaces by MAC address (unique across the fleet), which a ramdisk
 * looks its node up by. A node's ports go with it.
 */
export const portsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('ports')
      .addColumn('uuid', 'text', (col) => col.primaryKey())
      .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity().notNull().unique())
      .addColumn('address', 'text', (col) => col.notNull().unique())
      .addColumn('node_uuid', 'text', (col) => col.notNull().references('nodes.uuid').onDelete('cascade'))
      .addColumn('extra', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('internal_info', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('local_link_connection', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('pxe_enabled', 'boolean', (col) => col.notNull().defaultTo(true))
      .addColumn('physical_network', 'text')
      .addColumn('is_smartnic', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('ports_node_uuid_idx').on('ports').column('node_uuid').execute();
  },

  // biome-ignore lint/suspicious/noExplicitAny: see up()
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('ports').execute();
  },
};
