import { packageTestConfig } from '../../config/vitest.ts';

export default packageTestConfig({
  test: {
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Each file in a fresh process: an embedded database keeps its memory after it closes, so files
    // sharing a worker would add theirs up.
    isolate: true,
    // The longest suite: two files at a time even on 2 cores, so it uses the second core once the
    // other packages' suites are done.
    maxWorkers: 2,
  },
});
