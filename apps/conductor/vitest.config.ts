import { packageTestConfig } from '../../config/vitest.ts';

export default packageTestConfig({
  test: {
    globalSetup: ['test/support/postgres-global-setup.ts'],
    setupFiles: ['test/support/file-hooks.ts'],
    // The longest suite: two files at a time even on 2 cores, so it uses the second core once the
    // other packages' suites are done.
    maxWorkers: 2,
  },
});
