/** Introspection states of ironic-inspector (`ironic_inspector/introspection_state.py`) a started node goes through. */
export type IntrospectionState = 'starting' | 'waiting' | 'processing' | 'finished' | 'error' | 'aborting';

/** Source of the current time in epoch milliseconds; inject a fake one to drive introspection without timers. */
export interface Clock {
  now(): number;
}

/** Hardware a simulated node reports in its introspection data. */
export interface HardwareProfile {
  /** Logical CPU count (`inventory.cpu.count`, top-level `cpus`). */
  readonly cpus: number;
  /** CPU architecture (`inventory.cpu.architecture`, top-level `cpu_arch`), e.g. `x86_64`. */
  readonly cpuArch: string;
  /** CPU model (`inventory.cpu.model_name`). */
  readonly cpuModelName: string;
  /** CPU frequency in MHz (`inventory.cpu.frequency`, sent as a string as IPA does). */
  readonly cpuFrequencyMhz: number;
  /** RAM in MiB (`inventory.memory.physical_mb`, top-level `memory_mb`). */
  readonly memoryMb: number;
  /** Disk sizes in GiB, one disk each (`/dev/sda`, `/dev/sdb`, ...); the root disk is the smallest of at least 4 GiB. */
  readonly disksGb: readonly number[];
  /** NIC MAC addresses, one interface each (`eth0`, `eth1`, ...); the first one PXE-boots. */
  readonly macs: readonly string[];
  /** BMC address (`inventory.bmc_address`, top-level `ipmi_address`). */
  readonly bmcAddress: string;
  /** Boot mode the ramdisk reports (`inventory.boot.current_boot_mode`). */
  readonly bootMode: 'bios' | 'uefi';
  /** `inventory.system_vendor.manufacturer`. */
  readonly manufacturer: string;
  /** `inventory.system_vendor.product_name`. */
  readonly productName: string;
}

/** How the simulator treats one node (or every node, as the default behaviour). */
export interface NodeBehaviour {
  /**
   * Time from start to the end of introspection: a second `starting`, `waiting` for the ramdisk until 80%
   * of it, then `processing`. Default 30 000.
   */
  readonly durationMs?: number;
  /** When set, introspection ends in state `error` with this message instead of `finished`. */
  readonly fail?: string;
  /** Time an accepted abort spends in state `aborting` before it ends in `error`. Default 0. */
  readonly abortDurationMs?: number;
  /** Real-time delay before answering each request about this node; shapes concurrency in tests and benchmarks. */
  readonly responseDelayMs?: number;
  /** Answer every request about this node with 500 and inspector's error body, without side effects. */
  readonly serverError?: boolean;
  /** Destroy the connection without any response to every request about this node, without side effects. */
  readonly closeConnection?: boolean;
  /** Hardware the node reports; fields not given come from the default behaviour, then built-in defaults. */
  readonly hardware?: Partial<HardwareProfile>;
}

/** Read-only view of one node's introspection at the simulator clock's current time. */
export interface IntrospectionView {
  readonly uuid: string;
  readonly state: IntrospectionState;
  readonly finished: boolean;
  /** Error message, or null when the introspection has not failed. */
  readonly error: string | null;
  /** Epoch milliseconds of the (last) start. */
  readonly startedAt: number;
  /** Epoch milliseconds at which the introspection ended, or null while it runs. */
  readonly finishedAt: number | null;
}

/** Request counters of a simulator; `maxConcurrentRequests` is the peak of requests served at once. */
export interface DiscoverdStats {
  /** Requests received. */
  readonly requests: number;
  /** Requests received and not yet answered (or dropped). */
  readonly inFlight: number;
  /** Highest `inFlight` seen since start or the last `resetStats()`. */
  readonly maxConcurrentRequests: number;
  /** Requests per route, keyed like `GET /v1/introspection/{node_id}`; unmatched paths count under `other`. */
  readonly byRoute: Readonly<Record<string, number>>;
  /** Introspections started (accepted `POST /v1/introspection/{node_id}`). */
  readonly startedNodes: number;
  /** Introspections aborted (accepted aborts that moved a waiting node to `aborting`). */
  readonly aborted: number;
}
