import { expect, it } from 'vitest';
import { fakeHardwareTour } from '../examples/fake-hardware-in-tests.js';

// The README's example, run through the published entry points: if it stops working, the docs are wrong.
it('runs the README example', async () => {
  expect(await fakeHardwareTour()).toEqual([
    'manageable',
    'manageable',
    'available',
    'active',
    'rescue',
    'active',
    'available',
  ]);
});
