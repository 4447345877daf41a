import {
  ironicPowerState,
  memberUris,
  RedfishConnector,
  type RedfishEndpoint,
  readSystemPower,
} from '../src/index.js';

const SYSTEM = '/redfish/v1/Systems/System.Embedded.1';

/**
 * Reads a server's power state, then mirrors its first two drives into a RAID-1 volume and waits for the
 * BMC's task to finish. One connector per process: it keeps a session and a kept-alive connection per BMC.
 */
export async function powerAndRaid(bmc: RedfishEndpoint) {
  const redfish = new RedfishConnector({
    maxRequestsPerBmc: 1,
    maxConcurrentRequests: 20,
    requestTimeoutMs: 30_000,
  });
  try {
    const client = redfish.client(bmc); // logs in (a session, else HTTP Basic) on its first request

    const { powerState } = await readSystemPower(client, SYSTEM); // one GET once logged in
    const power = ironicPowerState(powerState); // 'power on' | 'power off' | 'error'

    const [storage] = memberUris(await client.get(`${SYSTEM}/Storage`));
    const controller = await client.get(storage as string);
    const drives = (controller.Drives as { '@odata.id': string }[]).slice(0, 2);
    const accepted = await client.post(`${storage}/Volumes`, {
      RAIDType: 'RAID1',
      Links: { Drives: drives },
    });
    // 202 and a task monitor: polled every Retry-After until the BMC says the task is done.
    const { task } = await client.taskMonitor(accepted).wait({ taskTimeoutMs: 600_000 });

    return { power, task: task?.state, volumes: memberUris(await client.get(`${storage}/Volumes`)) };
  } finally {
    await redfish.close(); // logs the session out
  }
}
