// An HTTP load generator in a process of its own (so its work does not count against the conductor's
// event loop): `concurrency` loops send GETs for `durationS` seconds, each to one of `paths` in turn.
// Input: one JSON argument { base, paths, concurrency, durationS }. Output: one JSON line with the
// latencies (ms) and the request rate; a non-200 answer fails the run.
import { Agent, request } from 'undici';

const { base, paths, concurrency, durationS } = JSON.parse(process.argv[2]);
const agent = new Agent({ connections: concurrency, pipelining: 1 });
const latencies = [];
let next = 0;
const started = performance.now();
const deadline = started + durationS * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const path = paths[next++ % paths.length];
      const sent = performance.now();
      const response = await request(`${base}${path}`, {
        dispatcher: agent,
        headers: { 'x-openstack-ironic-api-version': '1.82' },
      });
      const body = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${body}`);
      latencies.push(performance.now() - sent);
    }
  }),
);
const elapsedS = (performance.now() - started) / 1000;
await agent.close();
const sorted = latencies.sort((a, b) => a - b);
const at = (fraction) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ requests: sorted.length, perSecond: Math.round(sorted.length / elapsedS), p50: at(0.5), p99: at(0.99), max: at(1) })}\n`,
);
