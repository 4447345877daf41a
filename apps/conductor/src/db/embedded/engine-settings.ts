/**
 * PostgreSQL settings of the embedded engine, on top of PGlite's own start parameters. They bound its
 * memory: everything PGlite allocates lives in one WebAssembly memory that never shrinks, so
 * PostgreSQL's defaults for a dedicated server (128 MB of shared buffers, 64 MB per index build) would
 * each stay resident for good. Table data beyond the shared buffers is read through the OS page cache,
 * which is not the conductor's memory.
 */
export const ENGINE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  maintenance_work_mem: '16MB',
  work_mem: '4MB',
  temp_buffers: '4MB',
  // WAL segments are 1 MB in the template: keep a few, and checkpoint before pg_wal grows large.
  min_wal_size: '4MB',
  max_wal_size: '64MB',
};

/** The settings as `postgres` command-line arguments (`-c name=value`). */
export function settingArguments(settings: Readonly<Record<string, string>> = ENGINE_SETTINGS): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}
