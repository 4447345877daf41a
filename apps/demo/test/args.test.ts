import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/args.js';
import { InvalidDemoOption } from '../src/errors.js';

describe('parseDemoArgs', () => {
  it('reads the flags', () => {
    expect(
      parseDemoArgs([
        '--nodes',
        '20',
        '--keep-running',
        '--api-port',
        '7000',
        '--discoverd-port',
        '0',
        '--fail-every',
        '4',
      ]),
    ).toEqual({
      help: false,
      options: { nodes: 20, keepRunning: true, apiPort: 7000, discoverdPort: 0, failEvery: 4, view: 'plain' },
    });
  });

  it('shows the live view only on a terminal, unless --plain', () => {
    expect(parseDemoArgs([], {}, true)).toMatchObject({ options: { view: 'live' } });
    expect(parseDemoArgs(['--plain'], {}, true)).toMatchObject({ options: { view: 'plain' } });
    expect(parseDemoArgs([], {}, false)).toMatchObject({ options: { view: 'plain' } });
  });

  it('takes overrides from the environment, flags first', () => {
    const env = {
      IRONIC_DEMO_API_PORT: '7001',
      IRONIC_DEMO_DATA_DIR: '/tmp/x',
      IRONIC_DEMO_DISCOVERD_PORT: '5051',
    };
    expect(parseDemoArgs(['--api-port', '7002'], env)).toMatchObject({
      options: { apiPort: 7002, dataDir: '/tmp/x', discoverdPort: 5051 },
    });
  });

  it('converts the phase timeout to milliseconds', () => {
    expect(parseDemoArgs(['--phase-timeout', '30'])).toMatchObject({ options: { phaseTimeoutMs: 30_000 } });
  });

  it('names a bad value and where it came from', () => {
    expect(() => parseDemoArgs(['--nodes', '0'])).toThrow(InvalidDemoOption);
    expect(() => parseDemoArgs(['--nodes', '0'])).toThrow(
      '--nodes: expected an integer from 1 to 5000, got "0"',
    );
    expect(() => parseDemoArgs([], { IRONIC_DEMO_API_PORT: 'http' })).toThrow(
      'IRONIC_DEMO_API_PORT (--api-port): expected an integer from 0 to 65535, got "http"',
    );
    expect(() => parseDemoArgs(['--colour'])).toThrow(/Unknown option '--colour'/);
  });

  it('ignores the leading -- that `pnpm start -- --nodes 20` passes on', () => {
    expect(parseDemoArgs(['--', '--nodes', '20'])).toMatchObject({ options: { nodes: 20 } });
  });

  it('asks for help', () => {
    expect(parseDemoArgs(['-h'])).toEqual({ help: true });
  });
});
