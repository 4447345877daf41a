import { type Kysely, type Migration, sql } from 'kysely';

const INTERFACES = [
  'bios',
  'boot',
  'console',
  'deploy',
  'inspect',
  'management',
  'network',
  'power',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;

/**
 * The rest of Ironic's node (API microversion 1.82): the per-node interface choices, ownership, state
 * flags and timestamps, traits; and `id`, the creation order Ironic lists nodes in by default.
 */
export const nodeIronicFieldsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point
  async up(db: Kysely<any>): Promise<void> {
    let alter = db.schema
      .alterTable('nodes')
      .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity().notNull())
      .addColumn('automated_clean', 'boolean')
      .addColumn('boot_mode', 'text')
      .addColumn('secure_boot', 'boolean')
      .addColumn('conductor_group', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('console_enabled', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('deploy_step', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('description', 'text')
      .addColumn('fault', 'text')
      .addColumn('inspection_started_at', 'timestamptz')
      .addColumn('inspection_finished_at', 'timestamptz')
      .addColumn('lessee', 'text')
      .addColumn('owner', 'text')
      .addColumn('network_data', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('protected', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('protected_reason', 'text')
      .addColumn('resource_class', 'text')
      .addColumn('retired', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('retired_reason', 'text')
      .addColumn('shard', 'text')
      .addColumn('traits', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`));
    for (const kind of INTERFACES) alter = alter.addColumn(`${kind}_interface`, 'text');
    await alter.execute();

    await db.schema.createIndex('nodes_id_unique').on('nodes').column('id').unique().execute();
    // The list filters operators use on large fleets.
    await db.schema.createIndex('nodes_resource_class_idx').on('nodes').column('resource_class').execute();
    await db.schema.createIndex('nodes_owner_idx').on('nodes').column('owner').execute();
    await db.schema.createIndex('nodes_lessee_idx').on('nodes').column('lessee').execute();
    await db.schema.createIndex('nodes_conductor_group_idx').on('nodes').column('conductor_group').execute();
    await db.schema.createIndex('nodes_shard_idx').on('nodes').column('shard').execute();
  },

  // biome-ignore lint/suspicious/noExplicitAny: see up()
  async down(db: Kysely<any>): Promise<void> {
    for (const index of [
      'nodes_shard_idx',
      'nodes_conductor_group_idx',
      'nodes_lessee_idx',
      'nodes_owner_idx',
      'nodes_resource_class_idx',
      'nodes_id_unique',
    ]) {
      await db.schema.dropIndex(index).execute();
    }
    let alter = db.schema.alterTable('nodes').dropColumn('id');
    for (const column of [
      'automated_clean',
      'boot_mode',
      'secure_boot',
      'conductor_group',
      'console_enabled',
      'deploy_step',
      'description',
      'fault',
      'inspection_started_at',
      'inspection_finished_at',
      'lessee',
      'owner',
      'network_data',
      'protected',
      'protected_reason',
      'resource_class',
      'retired',
      'retired_reason',
      'shard',
      'traits',
      ...INTERFACES.map((kind) => `${kind}_interface`),
    ]) {
      alter = alter.dropColumn(column);
    }
    await alter.execute();
  },
};
