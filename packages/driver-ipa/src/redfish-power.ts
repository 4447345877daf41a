import {
  InvalidParameterValue,
  type Node,
  type PowerInterface,
  type PowerState,
  type Task,
} from '@ironic/driver-base';
import { type Dispatcher, request } from 'undici';
import { RedfishError } from './errors.js';

/** The system a BMC manages when `redfish_system_id` is not given (an iDRAC's only system). */
export const DEFAULT_REDFISH_SYSTEM_ID = '/redfish/v1/Systems/System.Embedded.1';

/** The `driver_info` fields this power interface reads, with Ironic's redfish names. */
export const REDFISH_PROPERTIES: Readonly<Record<string, string>> = {
  redfish_address:
    'The URL of the Redfish service, e.g. https://10.0.0.5 (https:// is assumed without a scheme). Required.',
  redfish_system_id: `The path of the ComputerSystem resource. Optional, default ${DEFAULT_REDFISH_SYSTEM_ID}.`,
  redfish_username: 'User name for HTTP Basic authentication. Optional.',
  redfish_password: 'Password for HTTP Basic authentication. Optional.',
};

/** `driver_info` as the Redfish power interface understands it. */
export interface RedfishDriverInfo {
  /** The system resource's full URL. */
  systemUrl: string;
  /** `Authorization` header value, if credentials were given. */
  authorization: string | undefined;
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
  const address = stringField(node, 'redfish_address');
  if (address === undefined) {
    throw new InvalidParameterValue(`driver_info.redfish_address is required for node ${node.uuid}`);
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
  if (!URL.canParse(withScheme) || !/^https?:$/.test(new URL(withScheme).protocol)) {
    throw new InvalidParameterValue(
      `driver_info.redfish_address of node ${node.uuid} must be an http(s) URL, got "${address}"`,
    );
  }
  const systemId = stringField(node, 'redfish_system_id') ?? DEFAULT_REDFISH_SYSTEM_ID;
  if (!systemId.startsWith('/')) {
    throw new InvalidParameterValue(
      `driver_info.redfish_system_id of node ${node.uuid} must be a path starting with "/", got "${systemId}"`,
    );
  }
  const username = stringField(node, 'redfish_username');
  const password = stringField(node, 'redfish_password');
  const authorization =
    username === undefined
      ? undefined
      : `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  return { systemUrl: `${withScheme.replace(/\/+$/, '')}${systemId}`, authorization };
}

/** Redfish `PowerState` → Ironic's power state (as Ironic's redfish driver maps them). */
function ironicPowerState(value: unknown): PowerState {
  switch (value) {
    case 'On':
    case 'PoweringOn':
      return 'power on';
    case 'Off':
    case 'PoweringOff':
      return 'power off';
    default:
      return 'error';
  }
}

/** Options of `new RedfishPower(...)`. */
export interface RedfishPowerOptions {
  http: Dispatcher;
  /** Give up on one request after this many milliseconds. */
  requestTimeoutMs: number;
}

/**
 * Power through DMTF Redfish: `GET` the ComputerSystem for its `PowerState`, `POST`
 * `Actions/ComputerSystem.Reset` with `On`, `ForceOff` or `ForceRestart` to change it. A request for
 * the state the system is already in sends nothing (a BMC answers 409 to it).
 */
export class RedfishPower implements PowerInterface {
  readonly #http: Dispatcher;
  readonly #timeoutMs: number;

  constructor(options: RedfishPowerOptions) {
    this.#http = options.http;
    this.#timeoutMs = options.requestTimeoutMs;
  }

  validate(task: Task): void {
    parseRedfishDriverInfo(task.node);
  }

  async getPowerState(task: Task): Promise<PowerState> {
    const info = parseRedfishDriverInfo(task.node);
    const system = await this.#call(task.node, 'GET', info.systemUrl, info, 'get power state');
    return ironicPowerState((system as { PowerState?: unknown } | null)?.PowerState);
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
    const info = parseRedfishDriverInfo(task.node);
    const url = `${info.systemUrl}/Actions/ComputerSystem.Reset`;
    await this.#call(task.node, 'POST', url, info, `reset ${resetType}`, { ResetType: resetType });
  }

  /** Saves what the BMC now reports, so the node shows the real state rather than the one asked for. */
  async #record(task: Task): Promise<void> {
    const state = await this.getPowerState(task);
    await task.upgradeLock();
    await task.save({ power_state: state, target_power_state: null });
  }

  async #call(
    node: Readonly<Node>,
    method: 'GET' | 'POST',
    url: string,
    info: RedfishDriverInfo,
    operation: string,
    body?: unknown,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (info.authorization) headers.authorization = info.authorization;
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        dispatcher: this.#http,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.body.text();
    } catch (error) {
      throw new RedfishError(
        node.uuid,
        operation,
        null,
        error instanceof Error ? error.message : String(error),
      );
    }
    const parsed = parseJson(text);
    if (response.statusCode >= 400) {
      throw new RedfishError(node.uuid, operation, response.statusCode, redfishMessage(parsed) ?? text);
    }
    return parsed;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The first `@Message.ExtendedInfo` message of a Redfish error body, else its `message`. */
function redfishMessage(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown; '@Message.ExtendedInfo'?: unknown } } | null)?.error;
  const extended = error?.['@Message.ExtendedInfo'];
  const first = Array.isArray(extended) ? (extended[0] as { Message?: unknown } | undefined) : undefined;
  if (typeof first?.Message === 'string') return first.Message;
  return typeof error?.message === 'string' ? error.message : undefined;
}
