import { collectPeriodicTasks, type PeriodicTask } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import type { Driver } from './driver.js';
import { chosenImplementation, driverInterfaceTable } from './driver-interfaces.js';
import { INTERFACE_NAMES, type InterfaceName } from './interface-names.js';
import type { Node } from './node.js';
import { collectNodePeriodicTasks } from './node-periodic.js';
import type { NodeStore } from './node-store.js';
import { createNodeSweepTask } from './node-sweep.js';
import type { RingRange } from './ring-ranges.js';

/** What `collectDriverTasks` needs. */
export interface CollectDriverTasksOptions {
  /** The enabled drivers. */
  drivers: readonly Driver[];
  /** Nodes and their locks, for per-node sweeps. */
  nodes: NodeStore;
  logger: Logger;
  /** Whether this conductor manages a node. Default: all nodes. */
  ownsNode?: (node: Readonly<Node>) => boolean;
  /** The ring ranges of a driver's nodes this conductor manages, selected in the database (see `NodeSweepOptions`). */
  ownedRanges?: (driver: string) => readonly RingRange[];
  /** Nodes read per database page by the sweeps. Default: `createNodeSweepTask`'s. */
  pageSize?: number;
}

/**
 * Interfaces are grouped by class, as Ironic does: two drivers using the same interface class (or the
 * same plain-object instance) contribute its tasks once, and its sweeps visit the nodes of both.
 */
function interfaceKey(iface: object): object {
  const ctor = (iface as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor !== Object ? ctor : iface;
}

/** Where an interface object is used: by a driver, as an implementation of one interface. */
interface Use {
  driver: string;
  kind: InterfaceName;
  implementation: string;
}

/**
 * Every periodic task of every interface of every driver (each implementation a node may choose):
 * `@periodic` methods as they are, and each `@nodePeriodic` method as one sweep over the nodes of the
 * drivers that use that interface class, as the implementation those nodes chose.
 */
export function collectDriverTasks(options: CollectDriverTasksOptions): PeriodicTask[] {
  const groups = new Map<object, { iface: object; uses: Use[] }>();
  const byName = new Map(options.drivers.map((driver) => [driver.name, driver]));
  for (const driver of options.drivers) {
    const table = driverInterfaceTable(driver);
    for (const kind of INTERFACE_NAMES) {
      for (const [implementation, iface] of table[kind].implementations) {
        if (!iface) continue;
        const key = interfaceKey(iface);
        const group = groups.get(key) ?? { iface, uses: [] };
        group.uses.push({ driver: driver.name, kind, implementation });
        groups.set(key, group);
      }
    }
  }
  const tasks: PeriodicTask[] = [];
  for (const { iface, uses } of groups.values()) {
    tasks.push(...collectPeriodicTasks(iface));
    const drivers = [...new Set(uses.map((use) => use.driver))];
    const usesInterface = (node: Readonly<Node>) => {
      const driver = byName.get(node.driver);
      return (
        driver !== undefined &&
        uses.some(
          (use) =>
            use.driver === node.driver && chosenImplementation(driver, node, use.kind) === use.implementation,
        )
      );
    };
    for (const definition of collectNodePeriodicTasks(iface)) {
      tasks.push(
        createNodeSweepTask(definition, {
          nodes: options.nodes,
          drivers,
          usesInterface,
          logger: options.logger,
          ...(options.ownsNode ? { ownsNode: options.ownsNode } : {}),
          ...(options.ownedRanges ? { ownedRanges: options.ownedRanges } : {}),
          ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        }),
      );
    }
  }
  return tasks;
}
