import { defineConfig, type Options } from 'tsup';

/**
 * `pnpm build:js` (config/build-js.mjs, what the tests need) sets this to "false": JavaScript only, no
 * declarations, and whatever declarations a full build left stay in place.
 */
const withDeclarations = process.env.IRONIC_BUILD_DTS !== 'false';

/**
 * The one tsup setup every published package builds with: ESM for Node 20, type declarations, source maps.
 * A package passes its entry points and, rarely, an override.
 */
export function libraryConfig(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    platform: 'node',
    // Node 20 has no native decorators: targeting it makes esbuild lower the TC39 decorators.
    target: 'node20',
    dts: withDeclarations,
    sourcemap: true,
    clean: withDeclarations,
    // Entries share chunks: a module with state (a decorator registry) must exist once, not per entry.
    splitting: true,
    treeshake: true,
    // Lowered decorators rename classes (`_DiscoverdInspect`); default task names come from class names.
    esbuildOptions(options) {
      options.keepNames = true;
    },
    ...overrides,
  });
}
