import type { BaseInterface, Driver, DriverInterfaces } from './driver.js';
import { InvalidParameterValue } from './errors.js';
import { INTERFACE_NAMES, type InterfaceName, noImplementationName } from './interface-names.js';
import type { InterfaceField, NodeInterfaces } from './node.js';

/** The implementations of one interface of a driver, by Ironic's name, and the default one. */
export interface InterfaceTable {
  readonly default: string;
  /** `null`: not supported (`no-raid`...). */
  readonly implementations: ReadonlyMap<string, BaseInterface | null>;
}

/** Every interface of a driver with its implementations. */
export type DriverInterfaceTable = Readonly<Record<InterfaceName, InterfaceTable>>;

/** The node field that names the implementation of `kind`. */
export function interfaceField(kind: InterfaceName): InterfaceField {
  return `${kind}_interface`;
}

// Network and storage always have an implementation: Ironic's `noop` does nothing, successfully.
const NOOP: BaseInterface = Object.freeze({});

function singleImplementation(driver: Driver, kind: InterfaceName): InterfaceTable {
  const iface = driver.interfaces[kind] as BaseInterface | undefined;
  if (iface) return { default: driver.name, implementations: new Map([[driver.name, iface]]) };
  const name = noImplementationName(kind);
  const fallback = kind === 'network' || kind === 'storage' ? NOOP : null;
  return { default: name, implementations: new Map([[name, fallback]]) };
}

function buildTable(driver: Driver): DriverInterfaceTable {
  const table = {} as Record<InterfaceName, InterfaceTable>;
  for (const kind of INTERFACE_NAMES) {
    const choices = driver.implementations?.[kind];
    table[kind] = choices
      ? {
          default: choices.default,
          implementations: new Map(
            Object.entries(choices.implementations as Record<string, BaseInterface | null>),
          ),
        }
      : singleImplementation(driver, kind);
  }
  return table;
}

const tables = new WeakMap<Driver, DriverInterfaceTable>();

/** A driver's interfaces and their implementations, as `GET /v1/drivers/{name}` lists them. */
export function driverInterfaceTable(driver: Driver): DriverInterfaceTable {
  let table = tables.get(driver);
  if (!table) {
    table = buildTable(driver);
    tables.set(driver, table);
  }
  return table;
}

/**
 * Checks a driver's `implementations` against its `interfaces`: every default is listed and is the
 * object in `interfaces`, and power always has an implementation. Throws a `TypeError` naming the
 * interface otherwise (a driver author's mistake, found when the driver is created).
 */
export function checkDriverImplementations(driver: Driver): void {
  for (const kind of INTERFACE_NAMES) {
    const choices = driver.implementations?.[kind];
    if (!choices) continue;
    const implementations = choices.implementations as Record<string, BaseInterface | null>;
    if (!Object.hasOwn(implementations, choices.default)) {
      throw new TypeError(
        `Driver "${driver.name}": the default ${kind} implementation "${choices.default}" is not among its ${kind} implementations`,
      );
    }
    const expected = (driver.interfaces[kind] as BaseInterface | undefined) ?? null;
    if (implementations[choices.default] !== expected) {
      throw new TypeError(
        `Driver "${driver.name}": interfaces.${kind} must be its default ${kind} implementation "${choices.default}"`,
      );
    }
    if (kind === 'power' && Object.values(implementations).some((impl) => impl === null)) {
      throw new TypeError(`Driver "${driver.name}": every power implementation must be an interface`);
    }
  }
}

/** The implementation of `kind` a node with these fields uses: its own choice, else the default. */
export function chosenImplementation(
  driver: Driver,
  node: Partial<NodeInterfaces>,
  kind: InterfaceName,
): string {
  const table = driverInterfaceTable(driver)[kind];
  const chosen = node[interfaceField(kind)];
  return chosen != null && table.implementations.has(chosen) ? chosen : table.default;
}

const views = new WeakMap<Driver, Map<string, Driver>>();

/**
 * The driver as one node sees it: `interfaces` holds the implementations the node chose with its
 * `<name>_interface` fields (the defaults where it chose none). Views are cached per choice.
 */
export function driverForNode(driver: Driver, node: Partial<NodeInterfaces>): Driver {
  if (!driver.implementations) return driver;
  const table = driverInterfaceTable(driver);
  const names = INTERFACE_NAMES.map((kind) => chosenImplementation(driver, node, kind));
  const key = names.join('\u0000');
  let cache = views.get(driver);
  if (!cache) {
    cache = new Map();
    views.set(driver, cache);
  }
  let view = cache.get(key);
  if (!view) {
    const interfaces: Record<string, BaseInterface> = {};
    INTERFACE_NAMES.forEach((kind, index) => {
      const iface = table[kind].implementations.get(names[index] as string);
      if (iface) interfaces[kind] = iface;
    });
    view = Object.freeze({ ...driver, interfaces: interfaces as unknown as DriverInterfaces });
    cache.set(key, view);
  }
  return view;
}

/** Python's `repr` of a list of strings, as Ironic's messages print them: `['fake', 'noop']`. */
function pythonList(values: readonly string[]): string {
  return `[${values.map((value) => `'${value}'`).join(', ')}]`;
}

/**
 * Ironic's `check_and_update_node_interfaces`: every implementation a node names must exist on this
 * conductor (among the implementations of all `enabled` drivers) and belong to its driver; the others
 * get the driver's defaults. Returns all twelve fields; throws `InvalidParameterValue` with Ironic's
 * words otherwise.
 */
export function resolveNodeInterfaces(
  driver: Driver,
  requested: Partial<NodeInterfaces>,
  enabled: Iterable<Driver>,
): NodeInterfaces {
  const table = driverInterfaceTable(driver);
  const all = [...enabled];
  const fields = {} as NodeInterfaces;
  for (const kind of INTERFACE_NAMES) {
    const field = interfaceField(kind);
    const name = requested[field];
    if (name == null) {
      fields[field] = table[kind].default;
      continue;
    }
    if (!table[kind].implementations.has(name)) {
      const known = new Set<string>();
      for (const other of all) {
        for (const implementation of driverInterfaceTable(other)[kind].implementations.keys()) {
          known.add(implementation);
        }
      }
      if (!known.has(name)) {
        throw new InvalidParameterValue(
          `Could not find the following interface in the 'ironic.hardware.interfaces.${kind}' entrypoint: ${name}. Valid interfaces are ${pythonList([...known].sort())}.`,
        );
      }
      throw new InvalidParameterValue(
        `${kind} interface implementation '${name}' is not supported by hardware type ${driver.name}.`,
      );
    }
    fields[field] = name;
  }
  return fields;
}
