import pino from 'pino';
import { type Conductor, createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';

/** This conductor with Ironic's fake-hardware, listening on an ephemeral port. */
export interface ConductorServer {
  readonly conductor: Conductor;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a conductor on in-memory PGlite with `@ironic/driver-fake`, enabled by package name.
 * `fast_track: false` matches Ironic's default (`[deploy] fast_track`), for comparisons.
 */
export async function startConductorServer(agent: { fast_track?: boolean } = {}): Promise<ConductorServer> {
  const conductor = await createConductor(
    defineConfig({
      conductor: { id: 'integration-host', host: 'integration-host' },
      api: { host: '127.0.0.1', port: 0 },
      database: { data_dir: 'memory://' },
      drivers: { enabled: ['@ironic/driver-fake'] },
      agent,
      log: { level: 'silent' },
    }),
    { logger: pino({ level: 'silent' }) },
  );
  const { address } = await conductor.start();
  if (!address) throw new Error('the conductor did not listen');
  return {
    conductor,
    url: address.replace('localhost', '127.0.0.1'),
    stop: () => conductor.stop({ timeout: 10_000 }),
  };
}
