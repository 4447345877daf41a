import { packageTestConfig } from '../../config/vitest.ts';

export default packageTestConfig({
  test: { globalSetup: ['test/support/postgres-global-setup.ts'] },
});
