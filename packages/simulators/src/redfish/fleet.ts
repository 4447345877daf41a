import { resolveBmcOptions } from './bmc-options.js';
import { DuplicateBmcError, FleetClosedError, InvalidBmcOptionError } from './errors.js';
import { SimulatedBmc } from './simulated-bmc.js';
import type { AddBmcOptions, RedfishClock, RedfishLogger } from './types.js';

/** Options of {@link startRedfishFleet}. */
export interface RedfishFleetOptions {
  /** Clock that drives job progress; defaults to `Date.now`. */
  clock?: RedfishClock;
  /** Receives a line per BMC started and a debug line per request. */
  logger?: RedfishLogger;
}

const systemClock: RedfishClock = { now: () => Date.now() };

/** Many simulated iDRACs in one process, each on its own loopback port, sharing one clock. */
export class RedfishFleet {
  private readonly byId = new Map<string, SimulatedBmc>();
  private readonly pendingIds = new Set<string>();
  private counter = 0;
  private closed = false;

  /** @internal Use {@link startRedfishFleet}. */
  constructor(
    /** The clock every BMC of the fleet reads job progress from. */
    readonly clock: RedfishClock,
    private readonly logger: RedfishLogger | undefined,
  ) {}

  /** Every BMC of the fleet, in the order they were added. */
  get bmcs(): readonly SimulatedBmc[] {
    return [...this.byId.values()];
  }

  /** The BMC with this id, if any. */
  get(id: string): SimulatedBmc | undefined {
    return this.byId.get(id);
  }

  /**
   * Starts a new BMC on its own `127.0.0.1` port. Throws {@link InvalidBmcOptionError} for a bad
   * option, {@link DuplicateBmcError} for an id already used, {@link FleetClosedError} after close.
   */
  async addBmc(options: AddBmcOptions = {}): Promise<SimulatedBmc> {
    if (this.closed) throw new FleetClosedError();
    const resolved = resolveBmcOptions(options, options.id === undefined ? this.nextDefaultId() : options.id);
    if (this.byId.has(resolved.id) || this.pendingIds.has(resolved.id))
      throw new DuplicateBmcError(resolved.id);
    this.pendingIds.add(resolved.id);
    try {
      const bmc = await SimulatedBmc.start(resolved, this.clock, this.logger);
      if (this.closed) {
        await bmc.close();
        throw new FleetClosedError();
      }
      this.byId.set(bmc.id, bmc);
      return bmc;
    } finally {
      this.pendingIds.delete(resolved.id);
    }
  }

  private nextDefaultId(): string {
    let id: string;
    do {
      this.counter += 1;
      id = `bmc-${this.counter}`;
    } while (this.byId.has(id) || this.pendingIds.has(id));
    return id;
  }

  /** Stops one BMC's server and forgets it. */
  async removeBmc(id: string): Promise<void> {
    const bmc = this.byId.get(id);
    if (bmc === undefined) return;
    this.byId.delete(id);
    await bmc.close();
  }

  /** Closes every BMC's server; the fleet accepts no new BMCs afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.byId.values()];
    this.byId.clear();
    await Promise.all(all.map((bmc) => bmc.close()));
  }
}

/** Starts an empty fleet of simulated iDRAC Redfish BMCs; add BMCs with `fleet.addBmc`. */
export async function startRedfishFleet(options: RedfishFleetOptions = {}): Promise<RedfishFleet> {
  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function') {
    throw new InvalidBmcOptionError('clock', 'expected an object with a now() method');
  }
  return new RedfishFleet(clock, options.logger);
}
