import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freezeBehaviour, type ResolvedBehaviour, resolveBehaviour, validateBehaviour } from './behaviour.js';
import { InvalidBehaviourError, InvalidNodeUuidError } from './errors.js';
import { createInspectorHttpHandler } from './http-handler.js';
import { IntrospectionStore } from './introspection-store.js';
import { IronicNodes } from './ironic-nodes.js';
import { IronicSync } from './ironic-sync.js';
import { isNodeUuid, normalizeNodeUuid } from './node-uuid.js';
import { StatsRecorder } from './stats.js';
import type { Clock, DiscoverdStats, IntrospectionView, NodeBehaviour } from './types.js';

/** Options of {@link startDiscoverdSimulator}. */
export interface DiscoverdSimulatorOptions {
  /** Time source for introspection progress and timestamps. Default: `Date.now`. */
  readonly clock?: Clock;
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Behaviour of every node without its own; same as calling `setDefaultBehaviour` right after start. */
  readonly defaultBehaviour?: NodeBehaviour;
  /**
   * The Ironic API nodes are looked up in (the conductor's, or a stand-in), as ironic-inspector's
   * `[ironic]` section points it at Ironic: starting introspection of a node Ironic does not know is a
   * 404, names are resolved there, and nodes Ironic no longer has are dropped by the periodic sync. Can
   * be given later with `setIronicUrl`; until then a start answers 500.
   */
  readonly ironicUrl?: string;
  /** inspector's `[DEFAULT] clean_up_period`: how often the cache is synced with Ironic, in ms. Default 60 000; 0 never. */
  readonly syncPeriodMs?: number;
  /** inspector's `[DEFAULT] timeout`: an introspection still going after it ends in error, in ms. Default 3 600 000. */
  readonly timeoutMs?: number;
}

/** A running simulated discoverd / ironic-inspector v1 API and its control surface. */
export interface DiscoverdSimulator extends AsyncDisposable {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`; the API lives under `${url}/v1`. */
  readonly url: string;
  /** A snapshot of the request counters. */
  readonly stats: DiscoverdStats;
  /**
   * Sets how the simulator treats one node, replacing what was set for it before; unset fields come from the
   * default behaviour. Timing, failure and hardware apply from the node's next start; response shaping at once.
   * @throws InvalidNodeUuidError when `uuid` is not a UUID; InvalidBehaviourError naming a bad field.
   */
  configureNode(uuid: string, behaviour: NodeBehaviour): void;
  /**
   * Sets the behaviour of every node without its own settings (replacing the previous default).
   * @throws InvalidBehaviourError naming a bad field.
   */
  setDefaultBehaviour(behaviour: NodeBehaviour): void;
  /** The node's introspection at the clock's current time, or undefined if it was never started. */
  introspection(uuid: string): IntrospectionView | undefined;
  /** Every started node's introspection, newest start first. */
  introspections(): IntrospectionView[];
  /** Zeroes the request counters (requests still in flight stay counted). */
  resetStats(): void;
  /** The Ironic API nodes are looked up in, if set. */
  readonly ironicUrl: string | undefined;
  /** Points the simulator at an Ironic API (e.g. once the conductor it tests is up). */
  setIronicUrl(url: string): void;
  /** Runs the sync with Ironic now rather than when the next period falls due. */
  syncWithIronic(): Promise<void>;
  /** Nodes dropped by syncs with Ironic since start. */
  readonly droppedBySync: number;
  /** Stops listening, drops open connections and answers still waiting on a delay. */
  close(): Promise<void>;
}

function nonNegative(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidBehaviourError(option, `expected a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function uuidOrThrow(uuid: string): string {
  if (typeof uuid !== 'string' || !isNodeUuid(uuid)) throw new InvalidNodeUuidError(uuid);
  return normalizeNodeUuid(uuid);
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts a simulated discoverd (ironic-inspector v1 API) over HTTP and resolves once it listens. */
export async function startDiscoverdSimulator(
  options: DiscoverdSimulatorOptions = {},
): Promise<DiscoverdSimulator> {
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  if (options.ironicUrl !== undefined && !URL.canParse(options.ironicUrl)) {
    throw new InvalidBehaviourError(
      'ironicUrl',
      `expected an http(s) URL, got ${JSON.stringify(options.ironicUrl)}`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const stats = new StatsRecorder();
  const store = new IntrospectionStore(clock, nonNegative('timeoutMs', options.timeoutMs, 3_600_000));
  const ironic = new IronicNodes(options.ironicUrl);
  const sync = new IronicSync(
    clock,
    ironic,
    store,
    nonNegative('syncPeriodMs', options.syncPeriodMs, 60_000),
  );
  const nodeBehaviours = new Map<string, NodeBehaviour>();
  let defaults: NodeBehaviour = {};
  if (options.defaultBehaviour) {
    validateBehaviour(options.defaultBehaviour);
    defaults = freezeBehaviour(options.defaultBehaviour);
  }

  const behaviourOf = (uuid: string): ResolvedBehaviour =>
    resolveBehaviour(defaults, nodeBehaviours.get(uuid));
  let fallbackHost = host;
  const handler = createInspectorHttpHandler({
    store,
    ironic,
    sync,
    stats,
    behaviourOf,
    defaultBehaviour: () => resolveBehaviour(defaults, undefined),
    fallbackHost: () => fallbackHost,
  });
  const server = createServer(handler.listener);
  const address = await listen(server, host, options.port ?? 0);
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  fallbackHost = `${hostInUrl}:${address.port}`;
  const url = `http://${fallbackHost}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      handler.cancelPendingDelays();
      server.close((error) => {
        ironic
          .close()
          .catch(() => undefined)
          .then(() => (error ? reject(error) : resolve()));
      });
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url,
    get stats() {
      return stats.snapshot();
    },
    configureNode(uuid, behaviour) {
      const key = uuidOrThrow(uuid);
      validateBehaviour(behaviour);
      nodeBehaviours.set(key, freezeBehaviour(behaviour));
    },
    setDefaultBehaviour(behaviour) {
      validateBehaviour(behaviour);
      defaults = freezeBehaviour(behaviour);
    },
    introspection(uuid) {
      return store.find(uuidOrThrow(uuid));
    },
    introspections() {
      return store.list();
    },
    resetStats() {
      stats.reset();
    },
    get ironicUrl() {
      return ironic.url;
    },
    setIronicUrl(url) {
      if (typeof url !== 'string' || !URL.canParse(url)) {
        throw new InvalidBehaviourError('ironicUrl', `expected an http(s) URL, got ${JSON.stringify(url)}`);
      }
      ironic.url = url;
    },
    syncWithIronic: () => sync.run(),
    get droppedBySync() {
      return sync.dropped;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
