import { packageTestConfig } from '../../config/vitest.ts';

export default packageTestConfig({
  test: {
    // The driver-author example keeps its own tests beside it, as a third-party package would.
    include: ['test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Each file in a fresh process: an embedded database keeps its memory after it closes.
    isolate: true,
    // Two at a time even on 2 cores: the end-to-end files mostly wait on their processes' real time.
    maxWorkers: 2,
  },
});
