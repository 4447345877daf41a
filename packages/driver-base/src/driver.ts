import type { Clock } from '@ironic/periodic-core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { InterfaceName } from './interface-names.js';
import type { JsonObject, JsonValue, PowerState } from './node.js';
import type { NodeStore } from './node-store.js';
import type { Task } from './task.js';

/** What a synchronous-or-not operation reports: finished now, or waiting on something external. */
export type AsyncOutcome = 'done' | 'wait';

/** A clean step's implementation: runs with the node exclusively locked; `'wait'` when it finishes later. */
export type CleanStepHandler = (
  task: Task,
  args: JsonObject,
) => Promise<AsyncOutcome | undefined> | AsyncOutcome | undefined;

/** One argument a step takes, as Ironic's `argsinfo` describes it. */
export interface StepArgumentInfo {
  readonly description: string;
  readonly required?: boolean;
}

/** A clean step with Ironic's metadata (`@clean_step(priority=..., abortable=..., argsinfo=...)`). */
export interface CleanStepDefinition {
  readonly run: CleanStepHandler;
  /**
   * Automated cleaning (on `provide` and after undeploy) runs every step with a priority above 0, highest
   * first. 0, the default, makes it a manual step only (`clean` with `clean_steps`).
   */
  readonly priority?: number;
  /** Whether `abort` may interrupt the step while the node waits in `clean wait`. Default false. */
  readonly abortable?: boolean;
  readonly argsinfo?: Readonly<Record<string, StepArgumentInfo>>;
}

/** Common to every interface. */
export interface BaseInterface {
  /** Throws `InvalidParameterValue` naming the missing or bad `driver_info` field. */
  validate?(task: Task): Promise<void> | void;
  /** Clean steps this interface offers, by Ironic's step name (e.g. `create_configuration`). */
  readonly cleanSteps?: Readonly<Record<string, CleanStepHandler | CleanStepDefinition>>;
  /** `driver_info` fields this interface reads, with a description each (Ironic's `get_properties`). */
  readonly properties?: Readonly<Record<string, string>>;
}

/** The targets of `PUT /v1/nodes/{id}/states/power`, with Ironic's spellings. */
export type PowerTarget = 'power on' | 'power off' | 'rebooting' | 'soft power off' | 'soft rebooting';

/** Options of a power action. */
export interface PowerActionOptions {
  /** How long the action may take (the API's `timeout`, in ms); the driver's own default otherwise. */
  timeoutMs?: number;
}

/** Options of `getPowerState`. */
export interface PowerStateReadOptions {
  /** Gives the read up (e.g. the conductor stopping); the read rejects with the driver's abort error. */
  readonly signal?: AbortSignal;
}

/** Power control (required in every driver). */
export interface PowerInterface extends BaseInterface {
  /**
   * The power state the hardware reports now; null when it cannot tell (Ironic's fake power). The
   * conductor's power-state sync calls it for every node once a period, so it should cost one request to
   * the BMC, bounded by a timeout of the driver's own.
   */
  getPowerState(task: Task, options?: PowerStateReadOptions): Promise<PowerState | null>;
  /** `soft power off` is only asked for when `getSupportedPowerStates` lists it. */
  setPowerState(
    task: Task,
    state: 'power on' | 'power off' | 'soft power off',
    options?: PowerActionOptions,
  ): Promise<void>;
  /** A reboot; `soft` (a graceful one) only when `getSupportedPowerStates` lists `soft rebooting`. */
  reboot(task: Task, options?: PowerActionOptions & { soft?: boolean }): Promise<void>;
  /** The targets this power interface can reach. Default: `power on`, `power off`, `rebooting`. */
  getSupportedPowerStates?(task: Task): readonly PowerTarget[] | Promise<readonly PowerTarget[]>;
}

/** Ironic's boot devices (`ironic.common.boot_devices`). */
export type BootDevice =
  | 'pxe'
  | 'disk'
  | 'cdrom'
  | 'bios'
  | 'safe'
  | 'wanboot'
  | 'iscsiboot'
  | 'floppy'
  | 'uefihttp';

/** The boot device a node will use next, as `GET .../management/boot_device` shows it. */
export interface BootDeviceInfo {
  boot_device: string | null;
  persistent: boolean | null;
}

/** Boot device and other management. */
export interface ManagementInterface extends BaseInterface {
  setBootDevice?(task: Task, device: BootDevice, options?: { persistent?: boolean }): Promise<void>;
  getBootDevice?(task: Task): Promise<BootDeviceInfo>;
  getSupportedBootDevices?(task: Task): readonly BootDevice[] | Promise<readonly BootDevice[]>;
}

/** Hardware inspection: `'wait'` means the result comes later (a periodic task finishes it). */
export interface InspectInterface extends BaseInterface {
  inspectHardware(task: Task): Promise<AsyncOutcome>;
  /** Cancels an inspection in progress (the `abort` verb in `inspect wait`). */
  abort?(task: Task): Promise<void>;
}

/** Ironic's `target_raid_config`: the logical disks wanted. */
export interface RaidConfig {
  logical_disks: LogicalDisk[];
}

/** One logical disk of a RAID config, with Ironic's field names. */
export interface LogicalDisk {
  size_gb: number | 'MAX';
  raid_level: '0' | '1' | '2' | '5' | '6' | '1+0' | '5+0' | '6+0';
  is_root_volume?: boolean;
  volume_name?: string;
  controller?: string;
  physical_disks?: string[];
  share_physical_disks?: boolean;
  disk_type?: 'hdd' | 'ssd';
  interface_type?: 'sata' | 'scsi' | 'sas';
  number_of_physical_disks?: number;
}

/** RAID configuration, reached through the clean steps `create_configuration` / `delete_configuration`. */
export interface RaidInterface extends BaseInterface {
  /** Throws `InvalidParameterValue` naming the bad logical disk and field. */
  validateRaidConfig(task: Task, config: RaidConfig): Promise<void> | void;
  createConfiguration(
    task: Task,
    options?: { create_root_volume?: boolean; create_nonroot_volumes?: boolean },
  ): Promise<AsyncOutcome>;
  deleteConfiguration(task: Task): Promise<AsyncOutcome>;
}

/** What a ramdisk agent sends with a heartbeat (Ironic's field names). */
export interface HeartbeatRequest {
  callback_url: string;
  agent_version: string;
  agent_token?: string;
  agent_verify_ca?: string;
  agent_status?: string;
  agent_status_message?: string;
}

/** Deployment: `'wait'` means the node waits for a call-back (a heartbeat) in `wait call-back`. */
export interface DeployInterface extends BaseInterface {
  deploy(task: Task): Promise<AsyncOutcome>;
  tearDown(task: Task): Promise<void>;
  /** A ramdisk agent's heartbeat for this node; the task holds a shared lock the handler may upgrade. */
  heartbeat?(task: Task, request: HeartbeatRequest): Promise<void>;
  /** Takes over a node already running its workload (the `adopt` verb); nothing to do by default. */
  takeOver?(task: Task): Promise<void>;
}

/** The rescue ramdisk: `'wait'` leaves the node in `rescue wait` until the ramdisk calls back. */
export interface RescueInterface extends BaseInterface {
  rescue(task: Task): Promise<AsyncOutcome>;
  unrescue(task: Task): Promise<void>;
  /** Undoes a rescue in progress (the `abort` verb in `rescue wait`). */
  cleanUp?(task: Task): Promise<void>;
}

/** The node's serial console (`PUT /v1/nodes/{id}/states/console`). */
export interface ConsoleInterface extends BaseInterface {
  startConsole(task: Task): Promise<void>;
  stopConsole(task: Task): Promise<void>;
  /** How to reach the console while it is enabled, e.g. `{type: "shellinabox", url}`. */
  getConsole(task: Task): Promise<JsonObject>;
}

/** An HTTP method a vendor passthru method answers. */
export type VendorHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A vendor passthru method (Ironic's `@passthru`), reached at `.../vendor_passthru?method=<name>`. */
export interface VendorMethod<Target> {
  readonly httpMethods: readonly VendorHttpMethod[];
  /** Run after the 202 (true, the default) or before a 200 carrying the return value (false). */
  readonly async?: boolean;
  readonly description?: string;
  /** Whether the return value is sent as an attachment (a file) rather than JSON. Default false. */
  readonly attach?: boolean;
  /** Node methods: whether the node is locked exclusively while the method runs. Default true. */
  readonly requireExclusiveLock?: boolean;
  run(target: Target, httpMethod: VendorHttpMethod, args: JsonObject): Promise<JsonValue> | JsonValue;
}

/** Vendor passthru: methods on a node, and methods on the driver itself. */
export interface VendorInterface extends BaseInterface {
  /** Node methods, by name (`/v1/nodes/{id}/vendor_passthru`). */
  readonly methods?: Readonly<Record<string, VendorMethod<Task>>>;
  /** Driver methods, by name (`/v1/drivers/{name}/vendor_passthru`); they get no node. */
  readonly driverMethods?: Readonly<Record<string, VendorMethod<undefined>>>;
  /** Checks a node method's arguments before it runs; throws `InvalidParameterValue` naming the bad one. */
  validateMethod?(task: Task, method: string, args: JsonObject): Promise<void> | void;
}

/** BIOS settings: reached through clean steps (`apply_configuration`, `factory_reset`...). */
export type BiosInterface = BaseInterface;
/** Booting the ramdisk and the instance (its deploy interface drives it). */
export type BootInterface = BaseInterface;
/** Networking of the node's ports (`noop` leaves it to the operator). */
export type NetworkInterface = BaseInterface;
/** Remote volumes (`noop`: none). */
export type StorageInterface = BaseInterface;

/** The interfaces a driver may have, by Ironic's interface names. */
export interface DriverInterfaces {
  bios?: BiosInterface;
  boot?: BootInterface;
  console?: ConsoleInterface;
  deploy?: DeployInterface;
  inspect?: InspectInterface;
  management?: ManagementInterface;
  network?: NetworkInterface;
  power: PowerInterface;
  raid?: RaidInterface;
  rescue?: RescueInterface;
  storage?: StorageInterface;
  vendor?: VendorInterface;
}

/** The interface object type of one interface name. */
export type InterfaceOf<K extends InterfaceName> = NonNullable<DriverInterfaces[K]>;

/**
 * The implementations of one interface that a node of the driver may choose (its `<name>_interface`
 * field), by Ironic's implementation names. `null` is one that is not supported (`no-raid`...): using it
 * fails with `UnsupportedDriverExtension`.
 */
export interface InterfaceChoices<I> {
  /** The implementation new nodes get; it must be `interfaces[<name>]` (or null and absent). */
  readonly default: string;
  readonly implementations: Readonly<Record<string, I | null>>;
}

/** A driver's choices, per interface. */
export type DriverImplementations = { readonly [K in InterfaceName]?: InterfaceChoices<InterfaceOf<K>> };

/** A driver (Ironic's "hardware type"): a name and its interfaces. */
export interface Driver {
  readonly name: string;
  /** The default implementation of each interface; a node's own choice overrides it (see `implementations`). */
  readonly interfaces: DriverInterfaces;
  /** `driver_info` fields this driver understands, with a description each (`GET /v1/drivers/{name}/properties`). */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * Several implementations of an interface, of which each node chooses one, as Ironic's hardware types
   * offer. An interface not listed here has one implementation, named after the driver (or Ironic's
   * `no-<name>` / `noop` when the driver lacks it).
   */
  readonly implementations?: DriverImplementations;
  /**
   * Frees what the driver holds (BMC sessions, connections). The conductor calls it once when it stops,
   * after its periodic tasks and actions have finished; a failure is logged, not thrown.
   */
  close?(): Promise<void> | void;
}

/** What the conductor hands a driver when it creates it. */
export interface DriverServices<Options = unknown> {
  /** Nodes: read, list, and lock them for work. */
  readonly nodes: NodeStore;
  /** A child logger bound to the driver's name. */
  readonly logger: Logger;
  /** The HTTP client to reach BMCs and services (undici). */
  readonly http: Dispatcher;
  /** The conductor's clock (a fake one in tests). */
  readonly clock: Clock;
  /** The driver's validated options. */
  readonly options: Options;
  /** The id of the conductor running the driver. */
  readonly conductorId: string;
}

/**
 * What a driver package exports (as its default export, or a `drivers` array): the driver's name, a
 * schema for its options, and a factory. Any Standard Schema works (zod, valibot, arktype...).
 */
export interface DriverPackage<Options = unknown> {
  readonly kind: 'ironic-driver';
  readonly name: string;
  readonly optionsSchema: StandardSchemaV1<unknown, Options>;
  create(options: Options, services: DriverServices<Options>): Driver | Promise<Driver>;
}

/** Declares a driver package; gives it the marker the conductor recognises. */
export function defineDriver<Options>(
  definition: Omit<DriverPackage<Options>, 'kind'>,
): DriverPackage<Options> {
  if (!definition.name || typeof definition.name !== 'string') {
    throw new TypeError('defineDriver: `name` must be a non-empty string');
  }
  return { kind: 'ironic-driver', ...definition };
}

/** Whether `value` is a driver package made by `defineDriver`. */
export function isDriverPackage(value: unknown): value is DriverPackage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'ironic-driver' &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { create?: unknown }).create === 'function'
  );
}
