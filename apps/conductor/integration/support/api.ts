import { setTimeout as delay } from 'node:timers/promises';

/** The headers of an Ironic client speaking the latest microversion. */
export const IRONIC_HEADERS = {
  'X-OpenStack-Ironic-API-Version': '1.82',
  'Content-Type': 'application/json',
};

/**
 * Polls `GET /v1/nodes/{name}` until its provision state is `state` (as a client waits on an action's
 * 202); the deadline only turns a hang into a failure with the last answer.
 */
export async function waitForProvisionState(
  api: string,
  name: string,
  state: string,
  init: RequestInit = {},
  timeoutMs = 120_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let node: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const response = await fetch(`${api}/v1/nodes/${name}`, {
      ...init,
      headers: { ...IRONIC_HEADERS, ...init.headers },
    });
    node = (await response.json()) as Record<string, unknown>;
    if (node.provision_state === state && node.reservation === null) return node;
    await delay(100);
  }
  throw new Error(`node ${name} not in ${state} within ${timeoutMs / 1000} s: ${JSON.stringify(node)}`);
}
