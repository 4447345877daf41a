import { libraryConfig } from '../../config/tsup.ts';

export default libraryConfig({
  index: 'src/index.ts',
  cli: 'src/cli.ts',
  // The embedded database's thread (see src/db/embedded/embedded-server.ts).
  'pglite-worker': 'src/db/embedded/engine-worker.ts',
});
