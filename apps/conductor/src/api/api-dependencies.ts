import type { AgentConfig, Driver, NodeQuery, TaskManager } from '@ironic/driver-base';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { BackgroundWork } from '../background-work.js';
import type { PartialNode } from '../store/node-row.js';
import type { PortRepository } from '../store/port.js';
import type { ViewContext } from './node-view.js';
import type { PeriodicTaskFigures } from './periodic-task-view.js';

/** What the API routes work with; `createConductor` provides it, tests may build their own. */
export interface ApiDependencies {
  /** The host name this conductor shows (`hosts` of a driver, `conductor` of a node). */
  readonly conductorHost: string;
  /** Nodes and their locks. */
  readonly nodes: TaskManager;
  /**
   * Lists nodes reading only some of their fields (and their UUID and driver), for lists that show a
   * few fields of many nodes. Without it such lists read whole nodes.
   */
  readonly listNodeFields?: (query: NodeQuery, fields: readonly string[]) => Promise<PartialNode[]>;
  /** The nodes' ports. */
  readonly ports: PortRepository;
  /** The loaded drivers, by name. */
  readonly drivers: ReadonlyMap<string, Driver>;
  /** The periodic tasks' figures for `GET /v1/periodic-tasks`. */
  readonly periodicTasks: () => readonly PeriodicTaskFigures[];
  /** Prometheus text for `GET /metrics`. */
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
  /** Throws when the conductor cannot serve (database unreachable). */
  readonly checkHealth: () => Promise<void>;
  /** Where provision and power actions continue after the 202. */
  readonly background: BackgroundWork;
  /** What ramdisk agents are told at lookup, and whether they may stay up while nothing is deployed. */
  readonly agent: AgentConfig;
}

/** A route plugin: a Fastify plugin over the API's dependencies, so more can be registered. */
export type ApiPlugin = FastifyPluginAsync<ApiDependencies>;

/** `http://host:port` as the client reached us, for links. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The view context of one request. */
export function viewContext(request: FastifyRequest, deps: ApiDependencies): ViewContext {
  return {
    baseUrl: baseUrl(request),
    conductorHost: deps.conductorHost,
    hasDriver: (name) => deps.drivers.has(name),
    minor: request.apiMinor,
  };
}
