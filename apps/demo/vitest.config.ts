import { packageTestConfig } from '../../config/vitest.ts';

export default packageTestConfig({
  test: {
    // The driver-author example keeps its own tests beside it, as a third-party package would.
    include: ['test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['test/support/postgres-global-setup.ts'],
    setupFiles: ['test/support/file-hooks.ts'],
    // Two at a time even on 2 cores: the end-to-end files mostly wait on their processes' real time.
    maxWorkers: 2,
  },
});
