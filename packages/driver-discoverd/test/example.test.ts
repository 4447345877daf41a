import { expect, it } from 'vitest';
import { inspectOneNode } from '../examples/inspect-one-node.js';

it('runs the README example', async () => {
  expect(await inspectOneNode()).toMatchObject({
    provision_state: 'manageable',
    properties: { cpus: 32, cpu_arch: 'x86_64', memory_mb: 32_768, local_gb: 959 },
  });
});
