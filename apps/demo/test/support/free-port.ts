// For the integration suites, which run one file at a time; the unit tests let the OS pick the port (port 0).
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now: the OS picks it, the probe lets it go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
