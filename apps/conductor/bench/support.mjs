// What the conductor's benchmarks share: the built package, the test PostgreSQL, and figures.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

export const distEntry = new URL('../dist/index.js', import.meta.url);
export const cliEntry = new URL('../dist/cli.js', import.meta.url);
/** The PostgreSQL the benchmarks compare with (as the tests): `DATABASE_URL`, or the local default. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The built package's API; exits with a clear message when it is not built. */
export async function conductorPackage() {
  if (!existsSync(distEntry)) {
    console.error('dist/ is missing: build first (pnpm --filter @ironic/conductor build)');
    process.exit(1);
  }
  return import(distEntry.href);
}

/** A fresh schema on the benchmark PostgreSQL, or undefined (with a printed line) when it is unreachable. */
export async function postgresSchema(createDatabase) {
  try {
    const probe = await createDatabase({ url: POSTGRES_URL, poolSize: 1 });
    await probe.close();
  } catch (error) {
    console.log(`PostgreSQL at ${POSTGRES_URL} is unreachable (${error.message}): its figures are skipped`);
    return undefined;
  }
  return `bench_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema the benchmark made. */
export async function dropSchema(createDatabase, schema) {
  const database = await createDatabase({ url: POSTGRES_URL, poolSize: 1 });
  try {
    await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
  } finally {
    await database.close();
  }
}

/** The value below which `fraction` of the (sorted) samples fall. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** `{ p50, p99, max }` of some samples, in their unit, rounded to 0.1. */
export function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 10) / 10;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** The median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** `--name=value` from the command line. */
export function option(name, fallback) {
  const prefix = `--${name}=`;
  const found = process.argv.find((argument) => argument.startsWith(prefix));
  return found === undefined ? fallback : found.slice(prefix.length);
}

/** Prints rows as an aligned table. */
export function printTable(rows) {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) => cells.map((cell, index) => String(cell).padEnd(widths[index])).join('  ');
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

/** A `nodes` row for the benchmarks: Ironic-like fields, states spread over four, ~600 bytes of JSON. */
export function nodeRow(index) {
  return {
    uuid: randomUUID(),
    name: `node-${index}`,
    driver: 'fake-hardware',
    driver_info: JSON.stringify({ address: `10.0.${index >> 8}.${index & 255}`, username: 'admin' }),
    driver_internal_info: '{}',
    properties: JSON.stringify({ cpus: 64, memory_mb: 262144, local_gb: 1800, cpu_arch: 'x86_64' }),
    instance_info: '{}',
    instance_uuid: null,
    provision_state: ['enroll', 'manageable', 'available', 'active'][index % 4],
    target_provision_state: null,
    power_state: 'power off',
    target_power_state: null,
    maintenance: false,
    maintenance_reason: null,
    reservation: null,
    last_error: null,
    clean_step: '{}',
    raid_config: '{}',
    target_raid_config: '{}',
    extra: JSON.stringify({ rack: `r${index % 40}` }),
    created_at: new Date(),
    updated_at: null,
    provision_updated_at: null,
  };
}
