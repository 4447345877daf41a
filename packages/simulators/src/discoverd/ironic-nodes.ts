import { Agent, request } from 'undici';
import { InspectorApiError } from './api-error.js';

/** What inspector reads of an Ironic node. */
export interface IronicNode {
  readonly uuid: string;
  readonly name: string | null;
  readonly provision_state: string;
}

/** inspector's `VALID_STATES`: where a node may be when introspection starts. */
export const VALID_STATES = ['enroll', 'manageable', 'inspecting', 'inspect wait', 'inspect failed'] as const;

/** How long one request to Ironic may take. */
const IRONIC_TIMEOUT_MS = 10_000;

/** inspector's answer when Ironic cannot be asked: its generic 500. */
function unavailable(): InspectorApiError {
  return new InspectorApiError(500, 'Internal server error');
}

function base(url: string | undefined): string {
  return url ?? 'http://ironic.invalid';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ironic's message of an error answer (`error_message` holds a JSON string with `faultstring`). */
function faultOf(body: unknown): string {
  if (!isObject(body) || typeof body.error_message !== 'string') return '';
  try {
    const inner: unknown = JSON.parse(body.error_message);
    return isObject(inner) && typeof inner.faultstring === 'string' ? inner.faultstring : body.error_message;
  } catch {
    return body.error_message;
  }
}

/**
 * The simulator's view of Ironic, as ironic-inspector has it: a node looked up by UUID or name before
 * introspection starts, and the list of node UUIDs its periodic sync keeps the cache to.
 */
export class IronicNodes {
  #url: string | undefined;
  readonly #agent = new Agent({ keepAliveTimeout: 1_000 });

  constructor(url: string | undefined) {
    this.#url = url?.replace(/\/+$/, '');
  }

  /** The Ironic API's base URL, if set. */
  get url(): string | undefined {
    return this.#url;
  }

  set url(url: string | undefined) {
    this.#url = url?.replace(/\/+$/, '');
  }

  /** The node, `undefined` when Ironic has none by that UUID or name; inspector's 500 when Ironic fails. */
  async get(ident: string): Promise<IronicNode | undefined> {
    const { status, body } = await this.#get(`/v1/nodes/${encodeURIComponent(ident)}`);
    if (status === 404) return undefined;
    if (status === 400) {
      throw new InspectorApiError(400, `Cannot get node ${ident}: ${faultOf(body)}`);
    }
    if (status !== 200 || !isObject(body) || typeof body.uuid !== 'string') throw unavailable();
    return {
      uuid: body.uuid,
      name: typeof body.name === 'string' ? body.name : null,
      provision_state: typeof body.provision_state === 'string' ? body.provision_state : '',
    };
  }

  /** Every node UUID Ironic knows, following its pages. */
  async uuids(): Promise<Set<string>> {
    const found = new Set<string>();
    let path: string | undefined = '/v1/nodes?fields=uuid';
    while (path) {
      const { status, body } = await this.#get(path);
      if (status !== 200 || !isObject(body) || !Array.isArray(body.nodes)) throw unavailable();
      for (const node of body.nodes) {
        if (isObject(node) && typeof node.uuid === 'string') found.add(node.uuid.toLowerCase());
      }
      const next = typeof body.next === 'string' ? new URL(body.next, base(this.#url)) : undefined;
      path = next ? `${next.pathname}${next.search}` : undefined;
    }
    return found;
  }

  /** Closes the connections to Ironic. */
  close(): Promise<void> {
    return this.#agent.close();
  }

  async #get(path: string): Promise<{ status: number; body: unknown }> {
    const base = this.#url;
    if (base === undefined) {
      throw new InspectorApiError(
        500,
        'Internal server error (the discoverd simulator has no Ironic API to look nodes up in: give it ironicUrl)',
      );
    }
    try {
      const response = await request(`${base}${path}`, {
        dispatcher: this.#agent,
        headers: { accept: 'application/json', 'x-openstack-ironic-api-version': 'latest' },
        headersTimeout: IRONIC_TIMEOUT_MS,
        bodyTimeout: IRONIC_TIMEOUT_MS,
      });
      const text = await response.body.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, body };
    } catch {
      throw unavailable();
    }
  }
}
