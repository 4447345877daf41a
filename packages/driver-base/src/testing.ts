export { FakePower } from './fake-power.js';
export * from './testing/driver-harness.js';
export * from './testing/fake-driver.js';
export * from './testing/in-memory-node-repository.js';
