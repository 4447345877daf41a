import { collectPeriodicTasks, type PeriodicTask } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import { type Driver, INTERFACE_NAMES } from './driver.js';
import type { Node } from './node.js';
import { collectNodePeriodicTasks } from './node-periodic.js';
import type { NodeStore } from './node-store.js';
import { createNodeSweepTask } from './node-sweep.js';

/** What `collectDriverTasks` needs. */
export interface CollectDriverTasksOptions {
  /** The enabled drivers. */
  drivers: readonly Driver[];
  /** Nodes and their locks, for per-node sweeps. */
  nodes: NodeStore;
  logger: Logger;
  /** Whether this conductor manages a node. Default: all nodes. */
  ownsNode?: (node: Readonly<Node>) => boolean;
}

/**
 * Interfaces are grouped by class, as Ironic does: two drivers using the same interface class (or the
 * same plain-object instance) contribute its tasks once, and its sweeps visit the nodes of both.
 */
function interfaceKey(iface: object): object {
  const ctor = (iface as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor !== Object ? ctor : iface;
}

/**
 * Every periodic task of every interface of every driver: `@periodic` methods as they are, and each
 * `@nodePeriodic` method as one sweep over the nodes of the drivers that use that interface class.
 */
export function collectDriverTasks(options: CollectDriverTasksOptions): PeriodicTask[] {
  const groups = new Map<object, { iface: object; drivers: string[] }>();
  for (const driver of options.drivers) {
    for (const kind of INTERFACE_NAMES) {
      const iface = driver.interfaces[kind];
      if (!iface) continue;
      const key = interfaceKey(iface);
      const group = groups.get(key) ?? { iface, drivers: [] };
      if (!group.drivers.includes(driver.name)) group.drivers.push(driver.name);
      groups.set(key, group);
    }
  }
  const tasks: PeriodicTask[] = [];
  for (const { iface, drivers } of groups.values()) {
    tasks.push(...collectPeriodicTasks(iface));
    for (const definition of collectNodePeriodicTasks(iface)) {
      tasks.push(
        createNodeSweepTask(definition, {
          nodes: options.nodes,
          drivers,
          logger: options.logger,
          ...(options.ownsNode ? { ownsNode: options.ownsNode } : {}),
        }),
      );
    }
  }
  return tasks;
}
