// One process of simulated iDRACs for bench/fleet.mjs (forked with an IPC channel), so the conductor's
// CPU is measured alone. Each BMC listens on its own port and answers every request after `latencyMs`.
// It records, per BMC, when each request arrived and when each GET of the System was answered.
//
//   parent → { type: 'start', count, latencyMs, prefix }   child → { type: 'started', urls }
//   parent → { type: 'count' }                              child → { type: 'count', systemGets }
//   parent → { type: 'report' }                             child → { type: 'report', bmcs }
import { startRedfishFleet } from '@ironic/simulators';

const SYSTEM_PATH = '/redfish/v1/Systems/System.Embedded.1';
const now = () => performance.timeOrigin + performance.now();

let fleet;
/** Per BMC: [arrival, answered] of each GET of the System, and the arrival of every other request. */
const records = [];
let systemGets = 0;

async function start({ count, latencyMs, prefix }) {
  fleet = await startRedfishFleet();
  const urls = [];
  for (let index = 0; index < count; index++) {
    const bmc = await fleet.addBmc({
      id: `${prefix}-${index}`,
      powerState: 'On',
      responseDelayMs: latencyMs,
    });
    const record = { url: bmc.url, gets: [], others: [] };
    const arrivals = [];
    bmc.events.on('received', (method, path) => {
      if (method === 'GET' && path === SYSTEM_PATH) arrivals.push(now());
      else record.others.push(now());
    });
    bmc.events.on('request', (method, path) => {
      if (method !== 'GET' || path !== SYSTEM_PATH) return;
      // One request at a time per BMC (the driver's bound): answers come in arrival order.
      record.gets.push([arrivals.shift() ?? Number.NaN, now()]);
      systemGets += 1;
    });
    records.push(record);
    urls.push(bmc.url);
  }
  return urls;
}

process.on('message', async (message) => {
  switch (message.type) {
    case 'start':
      process.send({ type: 'started', urls: await start(message) });
      break;
    case 'count':
      process.send({ type: 'count', systemGets });
      break;
    case 'report':
      process.send({ type: 'report', bmcs: records });
      break;
  }
});
process.on('disconnect', async () => {
  await fleet?.close();
  process.exit(0);
});
