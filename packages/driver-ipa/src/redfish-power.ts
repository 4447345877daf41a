import {
  InvalidParameterValue,
  type Node,
  type PowerInterface,
  type PowerState,
  type PowerStateReadOptions,
  type Task,
} from '@ironic/driver-base';
import {
  BmcUnreachable,
  InvalidRedfishEndpoint,
  ironicPowerState,
  parseVerify,
  RedfishError as RedfishAnswerError,
  type RedfishClient,
  type RedfishConnector,
  RequestAborted,
  readSystemPower,
  redfishOrigin,
  resetSystem,
} from '@ironic/redfish';
import { RedfishError } from './errors.js';

/** The system a BMC manages when `redfish_system_id` is not given (an iDRAC's only system). */
export const DEFAULT_REDFISH_SYSTEM_ID = '/redfish/v1/Systems/System.Embedded.1';

/** The `driver_info` fields this power interface reads, with Ironic's redfish names. */
export const REDFISH_PROPERTIES: Readonly<Record<string, string>> = {
  redfish_address:
    'The URL of the Redfish service, e.g. https://10.0.0.5 (https:// is assumed without a scheme). Required.',
  redfish_system_id: `The path of the ComputerSystem resource. Optional, default ${DEFAULT_REDFISH_SYSTEM_ID}.`,
  redfish_username: 'User name to log in with (a Redfish session, else HTTP Basic). Optional.',
  redfish_password: 'Its password. Optional.',
  redfish_verify_ca:
    'Whether to check the BMC certificate: true, false, or the path of a CA bundle. Optional, default true.',
};

/** `driver_info` as the Redfish power interface understands it. */
export interface RedfishDriverInfo {
  /** The Redfish service's origin, e.g. `https://10.0.0.5`. */
  address: string;
  /** The ComputerSystem's path. */
  systemId: string;
  username: string | undefined;
  password: string | undefined;
  /** How to check the BMC's certificate: `true`, `false`, or a CA bundle's path. */
  verify: boolean | string;
}

function stringField(node: Readonly<Node>, key: string): string | undefined {
  const value = node.driver_info[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidParameterValue(
      `driver_info.${key} of node ${node.uuid} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value.trim();
}

/** Reads and checks the node's Redfish `driver_info`; throws `InvalidParameterValue` naming the field. */
export function parseRedfishDriverInfo(node: Readonly<Node>): RedfishDriverInfo {
  const rawAddress = stringField(node, 'redfish_address');
  if (rawAddress === undefined) {
    throw new InvalidParameterValue(`driver_info.redfish_address is required for node ${node.uuid}`);
  }
  let address: string;
  try {
    address = redfishOrigin(rawAddress);
  } catch {
    throw new InvalidParameterValue(
      `driver_info.redfish_address of node ${node.uuid} must be an http(s) URL, got "${rawAddress}"`,
    );
  }
  const systemId = stringField(node, 'redfish_system_id') ?? DEFAULT_REDFISH_SYSTEM_ID;
  if (!systemId.startsWith('/')) {
    throw new InvalidParameterValue(
      `driver_info.redfish_system_id of node ${node.uuid} must be a path starting with "/", got "${systemId}"`,
    );
  }
  let verify: boolean | string;
  try {
    verify = parseVerify(node.driver_info.redfish_verify_ca);
  } catch {
    throw new InvalidParameterValue(
      `driver_info.redfish_verify_ca of node ${node.uuid} must be true, false or the path of a CA bundle, ` +
        `got ${JSON.stringify(node.driver_info.redfish_verify_ca)}`,
    );
  }
  return {
    address,
    systemId: systemId.replace(/\/+$/, ''),
    username: stringField(node, 'redfish_username'),
    password: stringField(node, 'redfish_password'),
    verify,
  };
}

/** Options of `new RedfishPower(...)`. */
export interface RedfishPowerOptions {
  /** The connector every Redfish request of the driver goes through (sessions, pools, bounds, timeout). */
  redfish: RedfishConnector;
}

/** The first `@Message.ExtendedInfo` message of a BMC error, else what the client says went wrong. */
function detailOf(error: unknown): string {
  if (error instanceof RedfishAnswerError) {
    return error.extendedInfo[0]?.Message ?? (error.bmcMessage || error.message);
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Power through DMTF Redfish: `GET` the ComputerSystem for its `PowerState`, `POST`
 * `Actions/ComputerSystem.Reset` with `On`, `ForceOff` or `ForceRestart` to change it. A request for
 * the state the system is already in sends nothing (a BMC answers 409 to it). Reading the power state of
 * a node whose BMC has a session costs one request.
 */
export class RedfishPower implements PowerInterface {
  readonly redfish: RedfishConnector;

  constructor(options: RedfishPowerOptions) {
    this.redfish = options.redfish;
  }

  validate(task: Task): void {
    parseRedfishDriverInfo(task.node);
  }

  /** One GET of the ComputerSystem once the BMC's session exists, within `redfish_request_timeout`. */
  async getPowerState(task: Task, options: PowerStateReadOptions = {}): Promise<PowerState> {
    const { client, systemId } = this.#bmc(task.node);
    const { powerState } = await this.#call(task.node, 'get power state', () =>
      readSystemPower(client, systemId, options.signal ? { signal: options.signal } : {}),
    );
    return ironicPowerState(powerState);
  }

  async setPowerState(task: Task, state: 'power on' | 'power off'): Promise<void> {
    const current = await this.getPowerState(task);
    if (current !== state) await this.#reset(task, state === 'power on' ? 'On' : 'ForceOff');
    await this.#record(task);
  }

  async reboot(task: Task): Promise<void> {
    const current = await this.getPowerState(task);
    await this.#reset(task, current === 'power on' ? 'ForceRestart' : 'On');
    await this.#record(task);
  }

  async #reset(task: Task, resetType: 'On' | 'ForceOff' | 'ForceRestart'): Promise<void> {
    const { client, systemId } = this.#bmc(task.node);
    await this.#call(task.node, `reset ${resetType}`, () =>
      resetSystem(client, `${systemId}/Actions/ComputerSystem.Reset`, resetType),
    );
  }

  /** Saves what the BMC now reports, so the node shows the real state rather than the one asked for. */
  async #record(task: Task): Promise<void> {
    const state = await this.getPowerState(task);
    await task.upgradeLock();
    await task.save({ power_state: state, target_power_state: null });
  }

  #bmc(node: Readonly<Node>): { client: RedfishClient; systemId: string } {
    const info = parseRedfishDriverInfo(node);
    try {
      return {
        client: this.redfish.client({
          address: info.address,
          ...(info.username === undefined ? {} : { username: info.username }),
          ...(info.password === undefined ? {} : { password: info.password }),
          verify: info.verify,
        }),
        systemId: info.systemId,
      };
    } catch (error) {
      if (!(error instanceof InvalidRedfishEndpoint)) throw error;
      throw new InvalidParameterValue(`driver_info.redfish_verify_ca of node ${node.uuid}: ${error.message}`);
    }
  }

  /** Runs a Redfish call, turning the client's errors into this driver's `RedfishError`. */
  async #call<T>(node: Readonly<Node>, operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof RedfishAnswerError) {
        throw new RedfishError(node.uuid, operation, error.status, detailOf(error), { cause: error });
      }
      if (error instanceof BmcUnreachable || error instanceof RequestAborted) {
        throw new RedfishError(node.uuid, operation, null, detailOf(error), { cause: error });
      }
      throw error;
    }
  }
}
