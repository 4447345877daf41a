import { integrationTestConfig } from '../../config/vitest.ts';

export default integrationTestConfig({
  test: {
    // The cluster hand-over suite runs on the test PostgreSQL, like the fast suite's store tests.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    setupFiles: ['test/support/file-hooks.ts'],
  },
});
