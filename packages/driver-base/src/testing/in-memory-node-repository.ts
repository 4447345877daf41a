import { randomUUID } from 'node:crypto';
import { NodeAlreadyExists, NodeLocked, NodeNotFound } from '../errors.js';
import type { NewNode, Node, NodeChanges } from '../node.js';
import type { NodeQuery, NodeRepository, ReserveResult } from '../node-repository.js';
import { ProvisionState } from '../provision-states.js';

/** Options of `new InMemoryNodeRepository(...)`. */
export interface InMemoryNodeRepositoryOptions {
  /** The clock for `created_at` / `updated_at` / `provision_updated_at`. Default `Date.now`. */
  now?: () => number;
}

/** Builds a complete node from what was given, with Ironic's defaults. */
export function newNodeRecord(input: NewNode, createdAt: string): Node {
  return {
    uuid: input.uuid ?? randomUUID(),
    name: input.name ?? null,
    driver: input.driver,
    driver_info: input.driver_info ?? {},
    driver_internal_info: input.driver_internal_info ?? {},
    properties: input.properties ?? {},
    instance_info: input.instance_info ?? {},
    instance_uuid: input.instance_uuid ?? null,
    provision_state: input.provision_state ?? ProvisionState.ENROLL,
    target_provision_state: input.target_provision_state ?? null,
    power_state: input.power_state ?? null,
    target_power_state: input.target_power_state ?? null,
    maintenance: input.maintenance ?? false,
    maintenance_reason: input.maintenance_reason ?? null,
    reservation: null,
    last_error: input.last_error ?? null,
    clean_step: input.clean_step ?? {},
    raid_config: input.raid_config ?? {},
    target_raid_config: input.target_raid_config ?? {},
    extra: input.extra ?? {},
    created_at: createdAt,
    updated_at: null,
    provision_updated_at: null,
  };
}

function asList<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/**
 * A `NodeRepository` in memory with the conductor's semantics: `reserve` is atomic (one synchronous
 * check-and-set), writes need the reservation, nodes come back as copies so callers cannot change the
 * stored ones behind the store's back.
 */
export class InMemoryNodeRepository implements NodeRepository {
  readonly #nodes = new Map<string, Node>();
  readonly #now: () => number;

  constructor(options: InMemoryNodeRepositoryOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  #timestamp(): string {
    return new Date(this.#now()).toISOString();
  }

  #find(ident: string): Node | undefined {
    const byUuid = this.#nodes.get(ident);
    if (byUuid) return byUuid;
    for (const node of this.#nodes.values()) if (node.name === ident) return node;
    return undefined;
  }

  async create(input: NewNode): Promise<Node> {
    const node = newNodeRecord(input, this.#timestamp());
    if (this.#nodes.has(node.uuid)) throw new NodeAlreadyExists('uuid', node.uuid);
    if (node.name !== null && this.#find(node.name)) throw new NodeAlreadyExists('name', node.name);
    this.#nodes.set(node.uuid, node);
    return structuredClone(node);
  }

  async get(ident: string): Promise<Node | undefined> {
    const node = this.#find(ident);
    return node ? structuredClone(node) : undefined;
  }

  async list(query: NodeQuery = {}): Promise<Node[]> {
    const states = asList(query.provisionState);
    const drivers = asList(query.driver);
    const key = query.sortKey ?? 'uuid';
    const direction = query.sortDir === 'desc' ? -1 : 1;
    const compare = (a: Node, b: Node) => {
      const left = a[key] ?? '';
      const right = b[key] ?? '';
      if (left !== right) return (left < right ? -1 : 1) * direction;
      return (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0) * direction;
    };
    let nodes = [...this.#nodes.values()]
      .filter((node) => !states || states.includes(node.provision_state))
      .filter((node) => !drivers || drivers.includes(node.driver))
      .filter((node) => query.maintenance === undefined || node.maintenance === query.maintenance)
      .filter((node) => query.reserved === undefined || (node.reservation !== null) === query.reserved)
      .filter((node) => query.reservedBy === undefined || node.reservation === query.reservedBy)
      .sort(compare);
    if (query.marker !== undefined) {
      const markerUuid = query.marker;
      const marker = this.#nodes.get(markerUuid);
      // A marker deleted since the previous page still bounds a UUID-ordered listing (as SQL's
      // `uuid > marker` does); for other orders its position is lost.
      if (marker) nodes = nodes.filter((node) => compare(node, marker) > 0);
      else if (key === 'uuid')
        nodes = nodes.filter((node) => (node.uuid > markerUuid ? 1 : -1) * direction > 0);
      else throw new NodeNotFound(markerUuid);
    }
    if (query.limit !== undefined) nodes = nodes.slice(0, query.limit);
    return nodes.map((node) => structuredClone(node));
  }

  async countByProvisionState(): Promise<Partial<Record<ProvisionState, number>>> {
    const counts: Partial<Record<ProvisionState, number>> = {};
    for (const node of this.#nodes.values())
      counts[node.provision_state] = (counts[node.provision_state] ?? 0) + 1;
    return counts;
  }

  async reserve(ident: string, conductorId: string): Promise<ReserveResult> {
    const node = this.#find(ident);
    if (!node) return { status: 'not-found' };
    if (node.reservation !== null) return { status: 'locked', holder: node.reservation };
    node.reservation = conductorId;
    return { status: 'reserved', node: structuredClone(node) };
  }

  async release(uuid: string, conductorId: string): Promise<boolean> {
    const node = this.#nodes.get(uuid);
    if (!node || node.reservation !== conductorId) return false;
    node.reservation = null;
    return true;
  }

  async releaseAll(conductorId: string): Promise<number> {
    let count = 0;
    for (const node of this.#nodes.values()) {
      if (node.reservation === conductorId) {
        node.reservation = null;
        count++;
      }
    }
    return count;
  }

  async update(uuid: string, conductorId: string, changes: NodeChanges): Promise<Node> {
    const node = this.#nodes.get(uuid);
    if (!node) throw new NodeNotFound(uuid);
    if (node.reservation !== conductorId) throw new NodeLocked(uuid, node.reservation);
    if (changes.name != null && changes.name !== node.name && this.#find(changes.name)) {
      throw new NodeAlreadyExists('name', changes.name);
    }
    const timestamp = this.#timestamp();
    const provisionChanged =
      changes.provision_state !== undefined && changes.provision_state !== node.provision_state;
    Object.assign(node, structuredClone(changes), { updated_at: timestamp });
    if (provisionChanged) node.provision_updated_at = timestamp;
    return structuredClone(node);
  }

  async delete(uuid: string, conductorId: string): Promise<void> {
    const node = this.#nodes.get(uuid);
    if (!node) throw new NodeNotFound(uuid);
    if (node.reservation !== conductorId) throw new NodeLocked(uuid, node.reservation);
    this.#nodes.delete(uuid);
  }
}
