import { packageTestConfig } from '../../config/vitest.ts';

// The driver-author example keeps its own tests beside it, as a third-party package would.
export default packageTestConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['test/support/postgres-global-setup.ts'],
  },
});
