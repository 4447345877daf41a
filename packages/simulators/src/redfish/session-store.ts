import { randomBytes, randomInt } from 'node:crypto';
import type { RedfishClock } from './types.js';

/** A Redfish session as the BMC keeps it. */
export interface SessionInfo {
  readonly id: string;
  readonly token: string;
  readonly username: string;
  /** Epoch ms (injected clock) of its creation. */
  readonly createdAt: number;
}

interface SessionRecord extends SessionInfo {
  /** Epoch ms of the last request that used it: a session expires `timeoutMs` after it. */
  lastUsedAt: number;
}

/**
 * The SessionService's sessions: a token per login, valid while used at least every `timeoutMs` (an
 * iDRAC's `SessionTimeout`, on the injected clock), until deleted.
 */
export class SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();
  #created = 0;

  constructor(
    private readonly clock: RedfishClock,
    /** Idle time after which a session expires, in ms. */
    public timeoutMs: number,
  ) {}

  /** Opens a session for `username`. */
  create(username: string): SessionInfo {
    this.#prune();
    let id: string;
    do id = String(randomInt(1, 1_000_000_000));
    while (this.#sessions.has(id));
    const now = this.clock.now();
    const record: SessionRecord = {
      id,
      token: randomBytes(16).toString('hex'),
      username,
      createdAt: now,
      lastUsedAt: now,
    };
    this.#sessions.set(id, record);
    this.#created += 1;
    return { ...record };
  }

  /** The session a token belongs to, if it is still valid; using it keeps it alive. */
  authenticate(token: string): SessionInfo | undefined {
    this.#prune();
    for (const record of this.#sessions.values()) {
      if (record.token === token) {
        record.lastUsedAt = this.clock.now();
        return { ...record };
      }
    }
    return undefined;
  }

  /** A live session by id. */
  get(id: string): SessionInfo | undefined {
    this.#prune();
    const record = this.#sessions.get(id);
    return record ? { ...record } : undefined;
  }

  /** Every live session, oldest first. */
  list(): SessionInfo[] {
    this.#prune();
    return [...this.#sessions.values()].map((record) => ({ ...record }));
  }

  /** Ends a session; false when there was none with this id. */
  delete(id: string): boolean {
    return this.#sessions.delete(id);
  }

  /** Ends every session (clients must log in again). */
  clear(): void {
    this.#sessions.clear();
  }

  /** Sessions created since start. */
  get created(): number {
    return this.#created;
  }

  #prune(): void {
    const now = this.clock.now();
    for (const [id, record] of this.#sessions) {
      if (now - record.lastUsedAt >= this.timeoutMs) this.#sessions.delete(id);
    }
  }
}
