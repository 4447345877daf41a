import { integrationTestConfig } from '../../config/vitest.ts';

export default integrationTestConfig();
