import { InvalidDriverOptions, validateDriverOptions } from '@ironic/driver-base';
import { createDriverHarness } from '@ironic/driver-base/testing';
import { describe, expect, it } from 'vitest';
import discoverdPackage, { CHECK_INSPECT_STATUS_TASK, discoverdOptionsSchema } from '../src/index.js';

describe('the discoverd driver’s options', () => {
  it('applies Ironic’s defaults and trims the URL', async () => {
    expect(
      await validateDriverOptions(discoverdPackage, { discoverd_url: 'http://127.0.0.1:5050/' }),
    ).toEqual({
      discoverd_url: 'http://127.0.0.1:5050',
      status_check_period: 60,
      inspect_wait_timeout: 1800,
      max_concurrent_requests: 20,
      request_timeout: 10,
    });
  });

  it.each([
    [{}, 'discoverd_url: is required'],
    [{ discoverd_url: 'not a url' }, 'discoverd_url: must be an http:// or https:// URL'],
    [{ discoverd_url: 'ftp://127.0.0.1/' }, 'discoverd_url: must be an http:// or https:// URL'],
    [{ discoverd_url: 'http://127.0.0.1', status_check_period: 0 }, 'status_check_period: Too small'],
    [{ discoverd_url: 'http://127.0.0.1', inspect_wait_timeout: -1 }, 'inspect_wait_timeout: Too small'],
    [
      { discoverd_url: 'http://127.0.0.1', max_concurrent_requests: 2.5 },
      'max_concurrent_requests: Invalid input',
    ],
    [{ discoverd_url: 'http://127.0.0.1', max_concurrent_requests: 0 }, 'max_concurrent_requests: Too small'],
    [{ discoverd_url: 'http://127.0.0.1', request_timeout: '10' }, 'request_timeout: Invalid input'],
    [{ discoverd_url: 'http://127.0.0.1', status_check_perod: 30 }, 'Unrecognized key: "status_check_perod"'],
  ])('refuses %j, naming the driver and the field', async (options, message) => {
    const failure = createDriverHarness({ drivers: [{ package: discoverdPackage, options }] });
    await expect(failure).rejects.toBeInstanceOf(InvalidDriverOptions);
    await expect(failure).rejects.toThrow(`Invalid options for driver "discoverd": ${message}`);
  });

  it('is a Standard Schema', async () => {
    const result = await discoverdOptionsSchema['~standard'].validate({
      discoverd_url: 'https://inspector:5050',
    });
    expect(result).toEqual({ value: expect.objectContaining({ discoverd_url: 'https://inspector:5050' }) });
  });

  it('sets the periodic task’s spacing from status_check_period', async () => {
    const harness = await createDriverHarness({
      drivers: [
        {
          package: discoverdPackage,
          options: { discoverd_url: 'http://127.0.0.1:5050', status_check_period: 2.5 },
        },
      ],
    });
    try {
      expect(harness.tasks.map((task) => [task.name, task.options.spacing])).toEqual([
        [CHECK_INSPECT_STATUS_TASK, 2_500],
      ]);
    } finally {
      await harness.close();
    }
  });
});
