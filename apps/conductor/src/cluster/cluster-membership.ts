import type { RingRange } from '@ironic/driver-base';
import type { Logger } from 'pino';
import type { ConductorRecord } from '../store/conductor-registry.js';
import { HashRing } from './hash-ring.js';

/** A conductor as this one last saw it, with its liveness worked out. */
export interface ClusterMember extends ConductorRecord {
  /** Online, not draining, and heartbeating within `heartbeat_timeout`: it is in the hash rings. */
  readonly alive: boolean;
}

/** What a node is mapped by: its UUID on the ring of its driver. */
export interface NodeKey {
  readonly uuid: string;
  readonly driver: string;
}

/** Options of `new ClusterMembership(...)`. */
export interface ClusterMembershipOptions {
  /** Reads every registered conductor (the `conductors` table). */
  list: () => Promise<ConductorRecord[]>;
  /** This conductor's id. */
  selfId: string;
  /** Milliseconds without a heartbeat after which a conductor is dead. */
  heartbeatTimeoutMs: number;
  /** The clock (epoch ms). */
  now: () => number;
  /** Points per member on each ring. Default: `HashRing`'s. */
  partitionsPerMember?: number;
  logger?: Logger;
}

/** What changed at a refresh that rebuilt the rings. */
export interface MembershipChange {
  /** Live members before and after, by id. */
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/**
 * Who is in the cluster and who owns which node: one consistent hash ring per driver name, over the live
 * conductors that enable that driver. Every conductor reads the same `conductors` rows, so all of them
 * build the same rings and agree on a single owner per node without talking to each other.
 */
export class ClusterMembership {
  readonly selfId: string;
  readonly #options: ClusterMembershipOptions;
  #members: readonly ClusterMember[] = [];
  #rings = new Map<string, HashRing>();
  #liveIds: readonly string[] = [];
  #signature: string | undefined;
  #refreshedAt: number | undefined;
  #leaving = false;

  constructor(options: ClusterMembershipOptions) {
    if (!Number.isFinite(options.heartbeatTimeoutMs) || options.heartbeatTimeoutMs <= 0) {
      throw new RangeError(`heartbeatTimeoutMs must be a positive number, got ${options.heartbeatTimeoutMs}`);
    }
    this.selfId = options.selfId;
    this.#options = options;
  }

  /** Every registered conductor at the last refresh, by id. */
  get members(): readonly ClusterMember[] {
    return this.#members;
  }

  /** When the last refresh read the table (epoch ms), or undefined before the first one. */
  get refreshedAt(): number | undefined {
    return this.#refreshedAt;
  }

  /**
   * Reads the members again and rebuilds the rings when the live set (or a live member's drivers)
   * changed. Returns what changed, or undefined when nothing did.
   */
  async refresh(): Promise<MembershipChange | undefined> {
    const records = await this.#options.list();
    const now = this.#options.now();
    const members = records.map((record) => ({ ...record, alive: this.#isAlive(record, now) }));
    this.#members = members;
    this.#refreshedAt = now;
    const live = members.filter((member) => member.alive);
    const signature = JSON.stringify(live.map((member) => [member.id, [...member.drivers].sort()]));
    if (signature === this.#signature) return undefined;
    const change = { before: this.#liveIds, after: live.map((member) => member.id).sort() };
    this.#signature = signature;
    this.#rings = buildRings(live, this.#options.partitionsPerMember);
    this.#liveIds = change.after;
    this.#options.logger?.info(change, 'cluster membership changed; hash rings rebuilt');
    return change;
  }

  /** The live member owning `node` on its driver's ring, or undefined when no live member enables it. */
  ownerOf(node: NodeKey): string | undefined {
    return this.#rings.get(node.driver)?.get(node.uuid);
  }

  /**
   * Whether this conductor manages `node` now: false before the first refresh and once it is leaving,
   * so it never claims nodes it does not know to be its own.
   */
  ownsNode(node: NodeKey): boolean {
    return !this.#leaving && this.ownerOf(node) === this.selfId;
  }

  /**
   * The ring ranges of `driver`'s nodes this conductor manages now, from the same ring `ownsNode` uses:
   * a node is owned exactly when its `ringPoint` lies in one of them. Empty when `ownsNode` owns none
   * (before the first refresh, once leaving, or for a driver no live member enables).
   */
  ownedRanges(driver: string): RingRange[] {
    if (this.#leaving) return [];
    return this.#rings.get(driver)?.rangesOf(this.selfId) ?? [];
  }

  /** From now on this conductor owns nothing: it is stopping and the others take its nodes over. */
  leave(): void {
    this.#leaving = true;
  }

  /** How many of `nodes` each live member owns (members owning none are listed with 0). */
  countOwners(nodes: Iterable<NodeKey>): Map<string, number> {
    const counts = new Map<string, number>(this.#liveIds.map((id) => [id, 0]));
    for (const node of nodes) {
      const owner = this.ownerOf(node);
      if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    return counts;
  }

  #isAlive(record: ConductorRecord, now: number): boolean {
    const silentFor = now - Date.parse(record.last_heartbeat_at);
    return record.online && !record.draining && silentFor <= this.#options.heartbeatTimeoutMs;
  }
}

function buildRings(live: readonly ClusterMember[], partitionsPerMember: number | undefined) {
  const byDriver = new Map<string, string[]>();
  for (const member of live) {
    for (const driver of member.drivers) {
      const ids = byDriver.get(driver) ?? [];
      ids.push(member.id);
      byDriver.set(driver, ids);
    }
  }
  const options = partitionsPerMember === undefined ? {} : { partitionsPerMember };
  return new Map([...byDriver].map(([driver, ids]) => [driver, new HashRing(ids, options)]));
}
