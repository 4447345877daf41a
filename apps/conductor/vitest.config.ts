import { packageTestConfig } from '../../config/vitest.ts';

export default packageTestConfig({
  test: {
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Each file in a fresh process: an embedded database keeps its memory after it closes, so files
    // sharing a worker would add theirs up.
    isolate: true,
  },
});
