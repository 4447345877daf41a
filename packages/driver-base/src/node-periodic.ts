import type { Duration, PeriodicOptions } from '@ironic/periodic-core';
import { resolvePeriodicOptions } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import type { Node } from './node.js';
import { isProvisionState, type ProvisionState } from './provision-states.js';
import type { Task } from './task.js';

/** A value given as is, or computed from the interface instance (e.g. from the driver's options). */
export type FromInstance<T, This> = T | ((instance: This) => T);

/** Which nodes a per-node periodic task visits, checked in the database before anything else. */
export interface NodePeriodicFilters {
  /** Only nodes in this state (or one of these states). */
  provision_state?: ProvisionState | readonly ProvisionState[];
  /** Only nodes in (true) or out of (false) maintenance. */
  maintenance?: boolean;
  /** Only reserved (true) or unreserved (false) nodes. */
  reserved?: boolean;
}

/** What a per-node handler is called with besides its task. */
export interface NodePeriodicContext {
  /** Aborted when the sweep times out or the worker stops. */
  readonly signal: AbortSignal;
  /** The sweep's task name. */
  readonly name: string;
  /** A logger bound to the sweep and node. */
  readonly logger: Logger;
}

/** A per-node handler: `false` means "nothing done", which does not count toward `limit`. */
export type NodePeriodicHandler = (task: Task, context: NodePeriodicContext) => unknown;

/** Options of `@nodePeriodic(...)`: the periodic options plus which nodes and how. */
export interface NodePeriodicOptions<This = unknown> extends Omit<PeriodicOptions, 'spacing'> {
  /** How often the sweep runs; may be computed from the instance, e.g. `(self) => self.options.period`. */
  spacing: FromInstance<Duration, This>;
  /** Database-level filters. */
  filters?: NodePeriodicFilters;
  /** A check on the listed node before any lock is taken (it may read the instance's options); false skips it. */
  predicate?: (node: Readonly<Node>, instance: This) => boolean;
  /** Lock each node shared (default, the handler upgrades before writing) or exclusive. */
  shared?: boolean;
  /** At most this many nodes handled per run (handlers returning `false` do not count). */
  limit?: FromInstance<number | undefined, This>;
  /** How many nodes are handled at once. Default 1. */
  concurrency?: FromInstance<number, This>;
}

/** A per-node periodic method found on an instance, bound to it, with its options resolved. */
export interface NodePeriodicDefinition {
  readonly name: string;
  readonly periodic: PeriodicOptions & { name: string; spacing: Duration };
  readonly filters: NodePeriodicFilters;
  readonly predicate: ((node: Readonly<Node>) => boolean) | undefined;
  readonly shared: boolean;
  readonly limit: number | undefined;
  readonly concurrency: number;
  readonly handler: NodePeriodicHandler;
}

const marks = new WeakMap<object, NodePeriodicOptions<never>>();

function describeMethod(name: string | symbol): string {
  return `nodePeriodic on method "${String(name)}"`;
}

function checkCount(value: unknown, what: string, where: string, minimum: number): void {
  if (value === undefined || typeof value === 'function') return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw new TypeError(`${where}: ${what} must be an integer >= ${minimum}, got ${JSON.stringify(value)}`);
  }
}

function checkFilters(filters: NodePeriodicFilters | undefined, where: string): void {
  if (!filters) return;
  const states = filters.provision_state;
  const list = states === undefined ? [] : Array.isArray(states) ? states : [states];
  for (const state of list) {
    if (!isProvisionState(state))
      throw new TypeError(`${where}: unknown provision_state filter ${JSON.stringify(state)}`);
  }
  for (const key of ['maintenance', 'reserved'] as const) {
    if (filters[key] !== undefined && typeof filters[key] !== 'boolean') {
      throw new TypeError(`${where}: filters.${key} must be a boolean, got ${JSON.stringify(filters[key])}`);
    }
  }
}

/**
 * Marks a method of a driver interface as a per-node periodic task (Ironic's `node_periodic`): every
 * `spacing`, the conductor calls it once per matching node that it manages, with that node locked.
 * Static options are checked here; options computed from the instance are checked when collected.
 */
export function nodePeriodic<This extends object>(options: NodePeriodicOptions<This>) {
  return (
    _method: (this: This, task: Task, context: NodePeriodicContext) => unknown,
    context: ClassMethodDecoratorContext<This>,
  ): void => {
    const where = describeMethod(context.name);
    if (context.kind !== 'method')
      throw new TypeError(`${where}: nodePeriodic applies to methods only, not a ${String(context.kind)}`);
    if (context.static)
      throw new TypeError(`${where}: nodePeriodic applies to instance methods, not static ones`);
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`${where}: options are required`);
    if (typeof options.spacing !== 'function')
      resolvePeriodicOptions({ ...options, spacing: options.spacing }, where);
    checkFilters(options.filters, where);
    checkCount(options.limit, 'limit', where, 0);
    checkCount(options.concurrency, 'concurrency', where, 1);
    if (options.predicate !== undefined && typeof options.predicate !== 'function') {
      throw new TypeError(`${where}: predicate must be a function`);
    }
    marks.set(_method, options as NodePeriodicOptions<never>);
  };
}

function resolve<T, This>(value: FromInstance<T, This>, instance: This): T {
  return typeof value === 'function' ? (value as (instance: This) => T)(instance) : value;
}

/**
 * The per-node periodic methods of an object (inherited ones included, base class first, declaration
 * order within a class), bound to it, with instance-computed options resolved and validated.
 */
export function collectNodePeriodicTasks(instance: object): NodePeriodicDefinition[] {
  const chain: object[] = [];
  for (
    let proto = Object.getPrototypeOf(instance);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    chain.unshift(proto);
  }
  const seen = new Set<string>();
  const found: NodePeriodicDefinition[] = [];
  for (const proto of chain) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      // The most-derived definition wins; descriptors are read so that getters are never invoked.
      const owner = [...chain].reverse().find((candidate) => Object.hasOwn(candidate, key)) ?? proto;
      const method = Object.getOwnPropertyDescriptor(owner, key)?.value as unknown;
      if (typeof method !== 'function') continue;
      const options = marks.get(method);
      if (options) found.push(define(instance, key, method as (...args: never) => unknown, options, owner));
    }
  }
  return found;
}

function define(
  instance: object,
  key: string,
  method: (...args: never) => unknown,
  options: NodePeriodicOptions<never>,
  proto: object,
): NodePeriodicDefinition {
  const owner = (proto as { constructor?: { name?: string } }).constructor?.name || 'anonymous';
  const { predicate, spacing, limit, concurrency, ...rest } = options;
  return resolveDefinition(method.bind(instance) as NodePeriodicHandler, {
    ...rest,
    name: options.name ?? `${owner}.${key}`,
    spacing: resolve(spacing as FromInstance<Duration, object>, instance),
    limit: resolve(limit as FromInstance<number | undefined, object>, instance),
    concurrency: resolve(concurrency as FromInstance<number, object> | undefined, instance),
    ...(predicate
      ? {
          predicate: (node: Readonly<Node>) =>
            (predicate as (node: Readonly<Node>, self: object) => boolean)(node, instance),
        }
      : {}),
  });
}

/** Options of `defineNodePeriodic`: those of `@nodePeriodic`, as plain values, with a required name. */
export interface NodePeriodicTaskOptions extends Omit<PeriodicOptions, 'name'> {
  /** The task's name, unique in a worker (e.g. `conductor.syncPowerStates`). */
  name: string;
  filters?: NodePeriodicFilters;
  predicate?: (node: Readonly<Node>) => boolean;
  shared?: boolean;
  limit?: number | undefined;
  concurrency?: number | undefined;
}

/**
 * A per-node periodic task that belongs to no driver interface, such as the conductor's own (Ironic's
 * `node_periodic` on the conductor manager): the same options and checks as `@nodePeriodic`, for a plain
 * function. `createNodeSweepTask` turns it into a sweep over the nodes of the drivers it is given.
 */
export function defineNodePeriodic(
  handler: NodePeriodicHandler,
  options: NodePeriodicTaskOptions,
): NodePeriodicDefinition {
  if (typeof handler !== 'function') throw new TypeError('defineNodePeriodic: handler must be a function');
  if (typeof options?.name !== 'string' || options.name === '')
    throw new TypeError('defineNodePeriodic: name must be a non-empty string');
  if (options.predicate !== undefined && typeof options.predicate !== 'function') {
    throw new TypeError(`nodePeriodic "${options.name}": predicate must be a function`);
  }
  return resolveDefinition(handler, options);
}

function resolveDefinition(
  handler: NodePeriodicHandler,
  options: NodePeriodicTaskOptions,
): NodePeriodicDefinition {
  const where = `nodePeriodic "${options.name}"`;
  const { filters, predicate, shared, limit, concurrency, ...periodic } = options;
  resolvePeriodicOptions(periodic, where);
  checkFilters(filters, where);
  checkCount(limit, 'limit', where, 0);
  checkCount(concurrency, 'concurrency', where, 1);
  return {
    name: options.name,
    periodic,
    filters: filters ?? {},
    predicate,
    shared: shared ?? true,
    limit,
    concurrency: concurrency ?? 1,
    handler,
  };
}
