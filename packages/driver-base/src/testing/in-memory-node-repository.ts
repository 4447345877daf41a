import { NodeAlreadyExists, NodeLocked, NodeNotFound } from '../errors.js';
import type { NewNode, Node, NodeChanges } from '../node.js';
import { newNodeRecord } from '../node-record.js';
import type { NodeQuery, NodeRepository, ReserveResult } from '../node-repository.js';
import { inspectionTimestamps, type ProvisionState } from '../provision-states.js';
import { inRingRanges, ringPoint } from '../ring-ranges.js';

/** Options of `new InMemoryNodeRepository(...)`. */
export interface InMemoryNodeRepositoryOptions {
  /** The clock for `created_at` / `updated_at` / `provision_updated_at`. Default `Date.now`. */
  now?: () => number;
}

export { newNodeRecord } from '../node-record.js';

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
  /** Creation order, Ironic's `id`. */
  readonly #ids = new Map<string, number>();
  #nextId = 1;
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
    this.#ids.set(node.uuid, this.#nextId++);
    return structuredClone(node);
  }

  async get(ident: string): Promise<Node | undefined> {
    const node = this.#find(ident);
    return node ? structuredClone(node) : undefined;
  }

  async list(query: NodeQuery = {}): Promise<Node[]> {
    const key = query.sortKey ?? 'uuid';
    const direction = query.sortDir === 'desc' ? -1 : 1;
    const sortValue = (node: Node) => (key === 'id' ? this.#ids.get(node.uuid) : node[key]);
    // NULLs sort last ascending and first descending, as PostgreSQL sorts them.
    const compare = (a: Node, b: Node) => {
      const left = sortValue(a) ?? null;
      const right = sortValue(b) ?? null;
      if (left !== right) {
        if (left === null) return direction;
        if (right === null) return -direction;
        return (left < right ? -1 : 1) * direction;
      }
      return (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0) * direction;
    };
    let nodes = [...this.#nodes.values()].filter((node) => matches(node, query)).sort(compare);
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
    const from = node.provision_state;
    const to = changes.provision_state;
    const provisionChanged = to !== undefined && to !== from;
    Object.assign(node, structuredClone(changes), { updated_at: timestamp });
    if (changes.traits) node.traits = [...changes.traits].sort();
    if (provisionChanged) {
      node.provision_updated_at = timestamp;
      Object.assign(node, inspectionTimestamps(from, to, timestamp));
    }
    return structuredClone(node);
  }

  async delete(uuid: string, conductorId: string): Promise<void> {
    const node = this.#nodes.get(uuid);
    if (!node) throw new NodeNotFound(uuid);
    if (node.reservation !== conductorId) throw new NodeLocked(uuid, node.reservation);
    this.#nodes.delete(uuid);
    this.#ids.delete(uuid);
  }
}

function includes<T>(value: T | readonly T[] | undefined, candidate: T): boolean {
  const list = asList(value);
  return list === undefined || list.includes(candidate);
}

/** Whether a node passes every filter of a query. */
function matches(node: Node, query: NodeQuery): boolean {
  const checks: boolean[] = [
    includes(query.provisionState, node.provision_state as ProvisionState),
    includes(query.driver, node.driver),
    query.maintenance === undefined || node.maintenance === query.maintenance,
    query.reserved === undefined || (node.reservation !== null) === query.reserved,
    query.reservedBy === undefined || node.reservation === query.reservedBy,
    query.instanceUuid === undefined || node.instance_uuid === query.instanceUuid,
    query.associated === undefined || (node.instance_uuid !== null) === query.associated,
    query.resourceClass === undefined || node.resource_class === query.resourceClass,
    query.conductorGroup === undefined || node.conductor_group === query.conductorGroup.toLowerCase(),
    query.fault === undefined || node.fault === query.fault,
    query.owner === undefined || node.owner === query.owner,
    query.lessee === undefined || node.lessee === query.lessee,
    query.project === undefined || node.owner === query.project || node.lessee === query.project,
    query.retired === undefined || node.retired === query.retired,
    query.shard === undefined || (node.shard !== null && query.shard.includes(node.shard)),
    query.sharded === undefined || (node.shard !== null) === query.sharded,
    query.descriptionContains === undefined || (node.description ?? '').includes(query.descriptionContains),
    query.ringRanges === undefined ||
      inRingRanges(ringPoint(node.uuid), query.ringRanges.get(node.driver) ?? []),
  ];
  return checks.every(Boolean);
}
