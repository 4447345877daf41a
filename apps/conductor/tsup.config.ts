import { libraryConfig } from '../../config/tsup.ts';

export default libraryConfig(
  {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    // The embedded database's thread (see src/db/embedded/embedded-server.ts).
    'pglite-worker': 'src/db/embedded/engine-worker.ts',
  },
  // The embedded database's template ships in dist/, so every build (the tests' JavaScript-only one too)
  // must leave it there.
  { onSuccess: 'node scripts/build-pglite-template.mjs' },
);
