import { ManualClock } from '@ironic/periodic-core';
import pino from 'pino';
import { type Conductor, createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';
import type { ConductorConfigInput } from '../../src/config/schema.js';
import type { PackageImporter } from '../../src/drivers/load-drivers.js';
import type { TestDeploy, TestInspect, TestPower } from '../fixtures/test-driver.js';
import { advanceByTimers } from './advance-clock.js';
import { embeddedTestUrl, registerTestSchema, testSchema } from './test-databases.js';

/** Package names the fixtures stand for. */
export const FIXTURES: Readonly<Record<string, () => Promise<Record<string, unknown>>>> = {
  '@example/driver-test': () => import('../fixtures/test-driver.js'),
  '@example/driver-twins': () => import('../fixtures/twin-drivers.js'),
  '@example/no-driver': () => import('../fixtures/no-driver.js'),
  '@example/driver-duplicate': () => import('../fixtures/duplicate-driver.js'),
  '@example/fake-hardware': () => import('../fixtures/fake-hardware.js'),
};

/** Imports fixtures by their package names, and anything else for real. */
export const fixtureImporter: PackageImporter = (name) => FIXTURES[name]?.() ?? import(name);

/** When the tests' fake clock starts. */
export const TEST_EPOCH = Date.UTC(2026, 0, 1, 12, 0, 0);

/**
 * A conductor on a fresh schema of the test file's embedded database (unless `database` is overridden),
 * with the test driver, a fake clock and a silent logger.
 */
export interface TestConductor {
  conductor: Conductor;
  clock: ManualClock;
  power: TestPower;
  inspect: TestInspect;
  deploy: TestDeploy;
  /**
   * Moves the fake clock by `ms` one due timer at a time, letting the periodic runs each one started
   * finish before the next fires — as they do in real time, where periods are long next to a database
   * round trip (now real I/O to another thread, which a few event-loop turns do not always cover).
   */
  advance(ms: number): Promise<void>;
}

/**
 * Creates and starts (without listening) a conductor for a test. Its schema is dropped after the test
 * (or after the file's tests, when started in a `beforeAll`).
 */
export async function startTestConductor(
  overrides: Partial<ConductorConfigInput> = {},
): Promise<TestConductor> {
  const clock = new ManualClock(TEST_EPOCH);
  const config = defineConfig({
    conductor: { id: 'test-conductor', host: 'test-host' },
    drivers: { enabled: ['@example/driver-test'] },
    log: { level: 'silent' },
    ...overrides,
    database: await testDatabaseConfig(overrides.database),
  });
  const conductor = await createConductor(config, {
    clock,
    importer: fixtureImporter,
    logger: pino({ level: 'silent' }),
  });
  await conductor.start({ listen: false });
  const interfaces = conductor.drivers.get('test-hardware')?.interfaces;
  return {
    conductor,
    clock,
    advance: (ms) => advanceByTimers(clock, ms, () => conductor.worker.idle()),
    power: interfaces?.power as TestPower,
    inspect: interfaces?.inspect as TestInspect,
    deploy: interfaces?.deploy as TestDeploy,
  };
}

/** The `database` section of a test conductor: a fresh schema on the file's embedded server by default. */
async function testDatabaseConfig(
  database: ConductorConfigInput['database'],
): Promise<NonNullable<ConductorConfigInput['database']>> {
  if (database === undefined) {
    const url = await embeddedTestUrl();
    return { url, schema: testSchema(url) };
  }
  if (database.url && database.schema) registerTestSchema(database.url, database.schema);
  return database;
}

/** Parses an Ironic error body's inner JSON. */
export function faultOf(body: string): { faultcode: string; faultstring: string; debuginfo: null } {
  return JSON.parse((JSON.parse(body) as { error_message: string }).error_message);
}
