import { Pool } from 'undici';
import { IronicApiError } from './errors.js';

/** The microversion the demo speaks (the conductor's newest). */
export const API_VERSION = '1.82';

/** The node fields the demo reads. */
export interface NodeState {
  readonly uuid: string;
  readonly name: string | null;
  readonly driver: string;
  readonly provision_state: string;
  readonly target_provision_state: string | null;
  readonly reservation: string | null;
  readonly last_error: string | null;
}

/**
 * One periodic task's figures, as `GET /v1/periodic-tasks` gives them (the API's conventions:
 * snake_case, seconds, ISO 8601 times).
 */
export interface PeriodicTaskFigures {
  readonly name: string;
  /** Seconds between runs. */
  readonly spacing: number;
  readonly runs: number;
  readonly failures: number;
  readonly skipped: number;
  /** Seconds a run takes on average, or null before the first. */
  readonly average_duration: number | null;
  /** When the next run falls due (ISO 8601), or null. */
  readonly next_run_at: string | null;
  readonly sweep?: { readonly visited: number; readonly handled: number; readonly errors: number };
}

/** What `POST /v1/nodes` takes. */
export interface NewNode {
  uuid: string;
  name: string;
  driver: string;
  driver_info?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  instance_info?: Record<string, unknown>;
}

const NODE_FIELDS = 'uuid,name,driver,provision_state,target_provision_state,reservation,last_error';

/**
 * A small client of the conductor's Ironic API over one undici `Pool`: at most `connections` requests
 * are in flight, the rest queue. Error statuses reject with `IronicApiError` carrying Ironic's faultstring.
 */
export class IronicClient {
  readonly #pool: Pool;

  constructor(
    /** The API root, e.g. `http://127.0.0.1:6385`. */
    readonly url: string,
    options: { connections?: number } = {},
  ) {
    this.#pool = new Pool(url, { connections: options.connections ?? 16, pipelining: 1 });
  }

  /** `POST /v1/nodes`: enrolls a node. */
  async createNode(node: NewNode): Promise<NodeState> {
    return (await this.#request('POST', '/v1/nodes', node)) as NodeState;
  }

  /** `PUT /v1/nodes/{id}/states/provision`. */
  async setProvisionState(uuid: string, target: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.#request('PUT', `/v1/nodes/${uuid}/states/provision`, { target, ...extra });
  }

  /** `PUT /v1/nodes/{id}/states/raid`: the node's `target_raid_config`. */
  async setTargetRaidConfig(uuid: string, config: Record<string, unknown>): Promise<void> {
    await this.#request('PUT', `/v1/nodes/${uuid}/states/raid`, config);
  }

  /** Every node (following `next` links), with the fields the demo reads. */
  async listNodes(): Promise<NodeState[]> {
    const nodes: NodeState[] = [];
    let path: string | undefined = `/v1/nodes?fields=${NODE_FIELDS}&limit=1000`;
    while (path) {
      const page = (await this.#request('GET', path)) as { nodes: NodeState[]; next?: string };
      nodes.push(...page.nodes);
      path = page.next ? pathOf(page.next) : undefined;
    }
    return nodes;
  }

  /** `GET /v1/periodic-tasks`. */
  async periodicTasks(): Promise<PeriodicTaskFigures[]> {
    const body = (await this.#request('GET', '/v1/periodic-tasks')) as {
      periodic_tasks: PeriodicTaskFigures[];
    };
    return body.periodic_tasks;
  }

  /** `GET /healthz`: resolves when the conductor and its database answer. */
  async health(): Promise<void> {
    await this.#request('GET', '/healthz');
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const response = await this.#pool.request({
      method,
      path,
      headers: {
        accept: 'application/json',
        'x-openstack-ironic-api-version': API_VERSION,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      throw new IronicApiError(method, path, response.statusCode, faultstringOf(text));
    }
    return text === '' ? undefined : JSON.parse(text);
  }
}

/** Ironic's error body is `{"error_message": "<JSON of {faultstring, ...}>"}`; anything else is shown as is. */
export function faultstringOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error_message?: unknown };
    if (typeof body.error_message === 'string') {
      const inner = JSON.parse(body.error_message) as { faultstring?: unknown };
      if (typeof inner.faultstring === 'string') return inner.faultstring;
    }
  } catch {
    // Not Ironic's shape: the raw text says more than nothing.
  }
  return text.slice(0, 500);
}

function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}
