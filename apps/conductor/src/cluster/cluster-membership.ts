import { type RingRange, ringPoint } from '@ironic/driver-base';
import type { Logger } from 'pino';
import type { ConductorRecord, RegistrySnapshot, RingView } from '../store/conductor-registry.js';
import { HashRing } from './hash-ring.js';

/**
 * How this conductor judges another from the rows: `alive` (heartbeating within `heartbeat_timeout`),
 * `stale` (silent longer, but not for long enough while this conductor's own heartbeats succeeded to
 * call it dead: it keeps its place and its nodes), `dead` (silent while this conductor heartbeated
 * throughout a whole `heartbeat_timeout`), `left` (offline or draining). This conductor itself is
 * `alive` (or `left` once leaving).
 */
export type MemberState = 'alive' | 'stale' | 'dead' | 'left';

/** A conductor as this one last saw it, with its liveness worked out. */
export interface ClusterMember extends ConductorRecord {
  /** In the hash rings this conductor acts on (alive, or stale but not yet found dead). */
  readonly alive: boolean;
  readonly state: MemberState;
}

/** What a node is mapped by: its UUID on the ring of its driver. */
export interface NodeKey {
  readonly uuid: string;
  readonly driver: string;
}

/** Where the membership reads the cluster and publishes this conductor's heartbeat. */
export interface MembershipStore {
  /** Writes this conductor's heartbeat (timed by the database's clock) with the ring it acts on. */
  heartbeat(ring: RingView | null): Promise<unknown>;
  /** Every registered conductor, with the database's clock. */
  snapshot(): Promise<RegistrySnapshot>;
}

/** Options of `new ClusterMembership(...)`. */
export interface ClusterMembershipOptions {
  store: MembershipStore;
  /** This conductor's id. */
  selfId: string;
  /** Milliseconds without a heartbeat after which a conductor is fenced (itself) or may be found dead (others). */
  heartbeatTimeoutMs: number;
  /** This host's clock (epoch ms): only ever used for how long ago this conductor last heartbeated. */
  now: () => number;
  /** Points per member on each ring. Default: `HashRing`'s. */
  partitionsPerMember?: number;
  logger?: Logger;
}

/** What changed at a refresh that rebuilt the rings. */
export interface MembershipChange {
  /** Members of the rings before and after, by id. */
  readonly before: readonly string[];
  readonly after: readonly string[];
}

interface Rings {
  readonly signature: string;
  readonly view: RingView;
  readonly byDriver: ReadonlyMap<string, HashRing>;
}

const NO_RINGS: Rings = { signature: '[]', view: [], byDriver: new Map() };

/**
 * Who is in the cluster and who owns which node: one consistent hash ring per driver name, over the
 * conductors that enable that driver.
 *
 * Liveness is judged on the database's clock (heartbeats are written by `now()` there). This conductor
 * is fenced — owns no node — whenever its last successful heartbeat was sent more than `heartbeat_timeout`
 * ago; it finds another dead only once that one's heartbeat has stayed stale while its own heartbeats
 * succeeded for a whole `heartbeat_timeout` (after an outage, everyone's heartbeat is old: nobody is
 * found dead until the survivors have heartbeated again for that long).
 *
 * Hand-over: each conductor publishes with its heartbeat the ring it acts on. A conductor gives a node up
 * as soon as its newest ring does, and takes one only when its newest ring and its published ring both
 * give it the node and no other conductor not found dead publishes a ring giving that conductor the node.
 * Publishing before reading makes two conductors claiming the same node see each other; so a node is
 * visited by its old owner until that one has published the new ring, then by the new owner, never both.
 */
export class ClusterMembership {
  readonly selfId: string;
  readonly #options: ClusterMembershipOptions;
  readonly #ringCache = new Map<string, Rings>();
  #members: readonly ClusterMember[] = [];
  #target: Rings = NO_RINGS;
  #published: Rings = NO_RINGS;
  #claims: ReadonlyArray<{ id: string; rings: Rings }> = [];
  #deadIds: readonly string[] = [];
  #refreshedAt: number | undefined;
  /** This host's time when the last successful heartbeat was sent. */
  #lastBeatSentAt: number | undefined;
  /** This host's time when the first heartbeat of the current run of successful ones was sent. */
  #streakStart: number | undefined;
  #leaving = false;
  /** Whether the current fence was logged (once per outage, not at every failed heartbeat). */
  #fenceLogged = false;

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

  /** The database's time of the last refresh (epoch ms), or undefined before the first one. */
  get refreshedAt(): number | undefined {
    return this.#refreshedAt;
  }

  /**
   * Whether this conductor may not act: it has not heartbeated yet, or its last successful heartbeat was
   * sent more than `heartbeat_timeout` ago (the others may have found it dead and taken its nodes).
   */
  get fenced(): boolean {
    const sent = this.#lastBeatSentAt;
    return sent === undefined || this.#options.now() - sent > this.#options.heartbeatTimeoutMs;
  }

  /** Conductors found dead at the last refresh, by id: only their reservations may be cleared. */
  get deadIds(): readonly string[] {
    return this.#deadIds;
  }

  /** The ring this conductor last published, as `[id, drivers]` pairs. */
  get publishedRing(): RingView {
    return this.#published.view;
  }

  /**
   * One heartbeat then one refresh, in that order: the heartbeat publishes the ring this conductor acts
   * on before it reads the others'. A failed heartbeat rejects and ends the run of successful ones.
   */
  async tick(): Promise<MembershipChange | undefined> {
    await this.heartbeat();
    return this.refresh();
  }

  /** Writes the heartbeat, publishing the newest ring (none once leaving). */
  async heartbeat(): Promise<void> {
    const sentAt = this.#options.now();
    const wasFenced = this.fenced;
    const rings = this.#leaving ? NO_RINGS : this.#target;
    try {
      await this.#options.store.heartbeat(this.#leaving ? null : rings.view);
    } catch (error) {
      this.#streakStart = undefined;
      if (this.fenced && !this.#fenceLogged) {
        this.#fenceLogged = true;
        this.#options.logger?.warn(
          { err: error },
          'no heartbeat for longer than heartbeat_timeout: fenced, owning no node until a heartbeat succeeds',
        );
      }
      throw error;
    }
    this.#fenceLogged = false;
    if (wasFenced || this.#streakStart === undefined) {
      this.#streakStart = sentAt;
      if (wasFenced && this.#lastBeatSentAt !== undefined)
        this.#options.logger?.warn('heartbeat succeeded again: no longer fenced');
    }
    this.#lastBeatSentAt = sentAt;
    this.#published = rings;
  }

  /**
   * Reads the members again, works out each one's state, and rebuilds the rings when their members (or
   * a member's drivers) changed. Returns what changed, or undefined when nothing did.
   */
  async refresh(): Promise<MembershipChange | undefined> {
    const snapshot = await this.#options.store.snapshot();
    const timeout = this.#options.heartbeatTimeoutMs;
    const streak = this.#streakStart;
    // How long this conductor has been heartbeating is its own elapsed time; how long another has been
    // silent is the database's.
    const ownStreakLongEnough = streak !== undefined && this.#options.now() - streak > timeout;
    const members = snapshot.records.map((record): ClusterMember => {
      const state = this.#stateOf(record, snapshot.now, ownStreakLongEnough);
      return { ...record, state, alive: state === 'alive' || state === 'stale' };
    });
    this.#members = members;
    this.#refreshedAt = snapshot.now;
    this.#deadIds = members.filter((member) => member.state === 'dead').map((member) => member.id);
    this.#claims = members
      .filter((member) => member.id !== this.selfId && member.alive && member.ring !== null)
      .map((member) => ({ id: member.id, rings: this.#ringsOf(member.ring as RingView) }));
    const target = this.#ringsOf(
      members.filter((member) => member.alive).map((member) => [member.id, [...member.drivers].sort()]),
    );
    if (target.signature === this.#target.signature) return undefined;
    const change = {
      before: this.#target.view.map(([id]) => id),
      after: target.view.map(([id]) => id),
    };
    this.#target = target;
    this.#options.logger?.info(change, 'cluster membership changed; hash rings rebuilt');
    return change;
  }

  /** The member owning `node` on its driver's newest ring, or undefined when no member enables it. */
  ownerOf(node: NodeKey): string | undefined {
    return ownerOn(this.#target, node);
  }

  /**
   * Whether this conductor manages `node` now: never while fenced or leaving; otherwise when both its
   * newest and its published ring give it the node, and no other conductor still publishes a ring that
   * gives that conductor the node.
   */
  ownsNode(node: NodeKey): boolean {
    if (this.#leaving || this.fenced) return false;
    // One hash for every ring asked: a sweep asks this of each node it visits.
    const at = ringPoint(node.uuid);
    const { driver } = node;
    if (
      ownerAt(this.#target, driver, at) !== this.selfId ||
      ownerAt(this.#published, driver, at) !== this.selfId
    ) {
      return false;
    }
    return this.#claims.every((claim) => ownerAt(claim.rings, driver, at) !== claim.id);
  }

  /**
   * The ring ranges of `driver`'s nodes this conductor may manage now, for the database to select them
   * by: where both its newest and its published ring give it the node, as `ownsNode` requires. Empty
   * while fenced or leaving, and before the first refresh. Other members' claims are not in them, so a
   * sweep still asks `ownsNode` of each node it reads.
   */
  ownedRanges(driver: string): RingRange[] {
    if (this.#leaving || this.fenced) return [];
    const newest = this.#target.byDriver.get(driver)?.rangesOf(this.selfId) ?? [];
    const published = this.#published.byDriver.get(driver)?.rangesOf(this.selfId) ?? [];
    return intersectRanges(newest, published);
  }

  /** From now on this conductor owns nothing: it is stopping and the others take its nodes over. */
  leave(): void {
    this.#leaving = true;
  }

  /** How many of `nodes` each member of the newest rings gets (members getting none are listed with 0). */
  countOwners(nodes: Iterable<NodeKey>): Map<string, number> {
    const counts = new Map<string, number>(this.#target.view.map(([id]) => [id, 0]));
    for (const node of nodes) {
      const owner = this.ownerOf(node);
      if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    return counts;
  }

  #stateOf(record: ConductorRecord, now: number, ownStreakLongEnough: boolean): MemberState {
    if (record.id === this.selfId)
      return this.#leaving || !record.online || record.draining ? 'left' : 'alive';
    if (!record.online || record.draining) return 'left';
    if (now - Date.parse(record.last_heartbeat_at) <= this.#options.heartbeatTimeoutMs) return 'alive';
    return ownStreakLongEnough ? 'dead' : 'stale';
  }

  #ringsOf(view: RingView): Rings {
    const sorted = [...view].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const signature = JSON.stringify(sorted);
    const cached = this.#ringCache.get(signature);
    if (cached) return cached;
    const rings = {
      signature,
      view: sorted,
      byDriver: buildRings(sorted, this.#options.partitionsPerMember),
    };
    // Only a handful of distinct rings exist at once (the newest, and those published by members).
    if (this.#ringCache.size > 32) this.#ringCache.clear();
    this.#ringCache.set(signature, rings);
    return rings;
  }
}

function ownerOn(rings: Rings, node: NodeKey): string | undefined {
  return rings.byDriver.get(node.driver)?.get(node.uuid);
}

function ownerAt(rings: Rings, driver: string, point: number): string | undefined {
  return rings.byDriver.get(driver)?.ownerAt(point);
}

function buildRings(view: RingView, partitionsPerMember: number | undefined): Map<string, HashRing> {
  const byDriver = new Map<string, string[]>();
  for (const [id, drivers] of view) {
    for (const driver of drivers) {
      const ids = byDriver.get(driver) ?? [];
      ids.push(id);
      byDriver.set(driver, ids);
    }
  }
  const options = partitionsPerMember === undefined ? {} : { partitionsPerMember };
  return new Map([...byDriver].map(([driver, ids]) => [driver, new HashRing(ids, options)]));
}

/** The points in both lists of sorted, disjoint ranges, as sorted, disjoint ranges. */
function intersectRanges(a: readonly RingRange[], b: readonly RingRange[]): RingRange[] {
  const both: RingRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as RingRange;
    const y = b[j] as RingRange;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (from <= to) both.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return both;
}
