// Seeding many nodes fast: multi-row inserts of the benchmarks' node rows.
import { nodeRow } from '../support.mjs';

/** Inserts `count` nodes of `driver` in batches; returns their UUIDs. */
export async function seedNodes(db, count, driver = 'fake-hardware') {
  const uuids = [];
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    const rows = [];
    for (let index = start; index < Math.min(count, start + batch); index++) {
      const row = { ...nodeRow(index), driver };
      rows.push(row);
      uuids.push(row.uuid);
    }
    await db.insertInto('nodes').values(rows).execute();
  }
  return uuids;
}
