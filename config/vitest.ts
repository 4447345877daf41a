import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const base = defineConfig({
  // keepNames: lowered decorators would otherwise rename classes, and default task names use them.
  esbuild: { target: 'node20', keepNames: true },
  test: {
    environment: 'node',
    // Deadlines only turn a hang into a failure. Nothing waits on real time (fake clocks), but a fleet's
    // real work through a real database takes what it takes: over 90 s for the 100-iDRAC fleet at a load
    // average of 18 on 2 cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    restoreMocks: true,
    unstubEnvs: true,
    // Test files share a worker's modules instead of each importing vitest and the packages anew: that
    // import was most of a small package's test time. Safe where tests keep no module-level state
    // beyond what they reset; a package whose files need fresh processes sets `isolate: true`.
    isolate: false,
  },
});

/**
 * The one vitest setup every package tests with; a package merges in what it needs beyond it.
 * Vitest runs availableParallelism − 1 workers (one on 2 cores); turbo runs the packages side by side.
 */
export function packageTestConfig(overrides: ViteUserConfig = {}) {
  return mergeConfig(
    mergeConfig(base, defineConfig({ test: { include: ['test/**/*.test.ts'] } })),
    overrides,
  );
}

/**
 * The setup of the slower suites that hold the code against real peers (Ironic's clients, sushy,
 * ironic-inspector) or real installs (packed tarballs, bundles): `integration/**\/*.test.ts`, run by
 * `pnpm test:integration`, one file at a time, with generous deadlines that only turn a hang into a failure.
 */
export function integrationTestConfig(overrides: ViteUserConfig = {}) {
  return mergeConfig(
    mergeConfig(
      base,
      defineConfig({
        test: {
          include: ['integration/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      }),
    ),
    overrides,
  );
}
