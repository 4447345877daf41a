import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import type { ClusterMember, ClusterMembership, NodeKey } from './cluster-membership.js';

/** A member with the number of nodes the current rings give it. */
export interface ConductorStatus extends ClusterMember {
  /** Nodes mapped to it by the hash rings as this conductor last built them (0 when it is not alive). */
  readonly node_count: number;
}

/** What `GET /v1/conductors` and the cluster metrics read. */
export interface ClusterStatusSource {
  /** Every registered conductor as of the last membership refresh, with liveness and owned node counts. */
  conductors(): Promise<ConductorStatus[]>;
  /** How many nodes this conductor owns under its current rings. */
  ownedNodes(): Promise<number>;
}

/** Every node's UUID and driver: what the rings map. */
export async function listNodeKeys(db: Kysely<Tables>): Promise<NodeKey[]> {
  return db.selectFrom('nodes').select(['uuid', 'driver']).execute();
}

/**
 * The cluster as this conductor works with it: the members as of its last refresh (at most one
 * `heartbeat_interval` old) and node counts from the rings its sweeps use. Reading it changes nothing.
 */
export function clusterStatus(membership: ClusterMembership, db: Kysely<Tables>): ClusterStatusSource {
  return {
    async conductors() {
      const counts = membership.countOwners(await listNodeKeys(db));
      return membership.members.map((member) => ({ ...member, node_count: counts.get(member.id) ?? 0 }));
    },
    async ownedNodes() {
      const keys = await listNodeKeys(db);
      return keys.filter((node) => membership.ownsNode(node)).length;
    },
  };
}
