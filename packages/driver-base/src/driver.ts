import type { Clock } from '@ironic/periodic-core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { JsonObject, PowerState } from './node.js';
import type { NodeStore } from './node-store.js';
import type { Task } from './task.js';

/** What a synchronous-or-not operation reports: finished now, or waiting on something external. */
export type AsyncOutcome = 'done' | 'wait';

/** A clean step's implementation: runs with the node exclusively locked; `'wait'` when it finishes later. */
export type CleanStepHandler = (
  task: Task,
  args: JsonObject,
) => Promise<AsyncOutcome | undefined> | AsyncOutcome | undefined;

/** Common to every interface: an optional validation of the node's `driver_info` for this interface. */
export interface BaseInterface {
  /** Throws `InvalidParameterValue` naming the missing or bad `driver_info` field. */
  validate?(task: Task): Promise<void> | void;
  /** Clean steps this interface offers, by Ironic's step name (e.g. `create_configuration`). */
  readonly cleanSteps?: Readonly<Record<string, CleanStepHandler>>;
}

/** Power control (required in every driver). */
export interface PowerInterface extends BaseInterface {
  getPowerState(task: Task): Promise<PowerState>;
  setPowerState(task: Task, state: 'power on' | 'power off', options?: { timeoutMs?: number }): Promise<void>;
  reboot(task: Task, options?: { timeoutMs?: number }): Promise<void>;
}

/** Boot device and other management. */
export interface ManagementInterface extends BaseInterface {
  setBootDevice?(
    task: Task,
    device: 'pxe' | 'disk' | 'cdrom' | 'bios',
    options?: { persistent?: boolean },
  ): Promise<void>;
  getBootDevice?(task: Task): Promise<{ boot_device: string | null; persistent: boolean | null }>;
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
}

/** The interfaces a driver may have, by Ironic's interface names. */
export interface DriverInterfaces {
  power: PowerInterface;
  management?: ManagementInterface;
  inspect?: InspectInterface;
  raid?: RaidInterface;
  deploy?: DeployInterface;
}

/** The interface names, in a stable order. */
export const INTERFACE_NAMES = ['power', 'management', 'inspect', 'raid', 'deploy'] as const;
/** One of the interface names. */
export type InterfaceName = (typeof INTERFACE_NAMES)[number];

/** A driver (Ironic's "hardware type"): a name and its interfaces. */
export interface Driver {
  readonly name: string;
  readonly interfaces: DriverInterfaces;
  /** `driver_info` fields this driver understands, with a description each (`GET /v1/drivers/{name}/properties`). */
  readonly properties?: Readonly<Record<string, string>>;
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
