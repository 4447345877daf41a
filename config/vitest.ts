import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/** The one vitest setup every package tests with; a package merges in what it needs beyond it. */
export function packageTestConfig(overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineConfig({
      // keepNames: lowered decorators would otherwise rename classes, and default task names use them.
      esbuild: { target: 'node20', keepNames: true },
      test: {
        include: ['test/**/*.test.ts'],
        environment: 'node',
        testTimeout: 30_000,
        hookTimeout: 30_000,
        restoreMocks: true,
        unstubEnvs: true,
      },
    }),
    overrides,
  );
}
