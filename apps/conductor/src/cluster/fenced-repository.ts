import type {
  NewNode,
  Node,
  NodeChanges,
  NodeQuery,
  NodeRepository,
  ReserveResult,
} from '@ironic/driver-base';
import { ConductorFenced } from '../errors.js';

/**
 * A node repository that refuses new reservations while `fenced()` is true (with `ConductorFenced`):
 * a conductor cut off from the database longer than `heartbeat_timeout` may already have been found
 * dead, its locks cleared and its nodes taken, so it must not lock anything until it has heartbeated again.
 * Everything else passes through.
 */
export class FencedNodeRepository implements NodeRepository {
  constructor(
    private readonly inner: NodeRepository,
    private readonly conductorId: string,
    private readonly fenced: () => boolean,
  ) {}

  reserve(ident: string, conductorId: string): Promise<ReserveResult> {
    if (this.fenced()) return Promise.reject(new ConductorFenced(this.conductorId, ident));
    return this.inner.reserve(ident, conductorId);
  }

  create(node: NewNode): Promise<Node> {
    return this.inner.create(node);
  }

  get(ident: string): Promise<Node | undefined> {
    return this.inner.get(ident);
  }

  list(query?: NodeQuery): Promise<Node[]> {
    return this.inner.list(query);
  }

  countByProvisionState(): ReturnType<NodeRepository['countByProvisionState']> {
    return this.inner.countByProvisionState();
  }

  release(uuid: string, conductorId: string): Promise<boolean> {
    return this.inner.release(uuid, conductorId);
  }

  releaseAll(conductorId: string): Promise<number> {
    return this.inner.releaseAll(conductorId);
  }

  update(uuid: string, conductorId: string, changes: NodeChanges): Promise<Node> {
    return this.inner.update(uuid, conductorId, changes);
  }

  delete(uuid: string, conductorId: string): Promise<void> {
    return this.inner.delete(uuid, conductorId);
  }
}
