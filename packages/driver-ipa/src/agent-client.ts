import type { JsonObject, Node } from '@ironic/driver-base';
import { AGENT_TOKEN_KEY } from '@ironic/driver-base';
import { Semaphore } from 'async-mutex';
import { type Dispatcher, request } from 'undici';
import { AgentBusy, AgentError, AgentInvalidResponse, AgentUnreachable } from './errors.js';

/** IPA's serialized `RESTError` in `command_error`. */
export interface AgentCommandError {
  type?: string;
  code?: number;
  message?: string;
  details?: string;
}

/** One command result as IPA reports it. */
export interface AgentCommandResult {
  id: string;
  /** Without the extension prefix: `prepare_image`, `sync`. */
  command_name: string;
  command_status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  command_error: AgentCommandError | string | null;
  command_result: JsonObject | null;
}

/** `GET /v1/status`: when the agent started (epoch seconds) and its version. */
export interface AgentStatus {
  started_at: number;
  version: string;
}

/** Options of `new AgentClient(...)`. */
export interface AgentClientOptions {
  /** The conductor's HTTP client. */
  http: Dispatcher;
  /** Requests in flight at once, over every agent. */
  maxConcurrentRequests: number;
  /** Give up on one request after this many milliseconds. */
  requestTimeoutMs: number;
}

/** Options of one command. */
export interface CommandOptions {
  /** Hold the answer until the command has ended (`wait=true`). */
  wait: boolean;
}

interface RawAnswer {
  status: number;
  body: unknown;
}

/** The error string of a FAILED command, as Ironic's `get_command_error` extracts it. */
export function commandErrorMessage(command: AgentCommandResult): string {
  const error = command.command_error;
  if (error === null || error === undefined) return 'Invalid agent response';
  if (typeof error === 'string') return error;
  return error.details || error.message || JSON.stringify(error);
}

/**
 * Ironic's `AgentClient`: runs commands on a node's ramdisk agent at `driver_internal_info.agent_url`,
 * with the node's agent token on POSTs (never on GETs). Every call waits for a slot of one shared
 * semaphore, so a sweep over many nodes never has more than `maxConcurrentRequests` agent calls open.
 */
export class AgentClient {
  readonly #http: Dispatcher;
  readonly #timeoutMs: number;
  readonly #slots: Semaphore;

  constructor(options: AgentClientOptions) {
    if (!Number.isInteger(options.maxConcurrentRequests) || options.maxConcurrentRequests < 1) {
      throw new RangeError(
        `AgentClient: maxConcurrentRequests must be an integer >= 1, got ${options.maxConcurrentRequests}`,
      );
    }
    this.#http = options.http;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#slots = new Semaphore(options.maxConcurrentRequests);
  }

  /** `POST {agent_url}/v1/commands/?wait=…&agent_token=…` with `{name, params}`. */
  async executeCommand(
    node: Readonly<Node>,
    name: string,
    params: JsonObject,
    options: CommandOptions,
  ): Promise<AgentCommandResult> {
    const query = new URLSearchParams({ wait: String(options.wait) });
    const token = node.driver_internal_info[AGENT_TOKEN_KEY];
    if (typeof token === 'string') query.set('agent_token', token);
    const url = `${commandsUrl(node)}?${query}`;
    const answer = await this.#send(
      node.uuid,
      'POST',
      url,
      JSON.stringify({ name, params }),
      this.#timeoutMs,
    );
    if (answer.status >= 400) throw apiError(node.uuid, name, answer);
    return asCommand(node.uuid, answer.body);
  }

  /** `GET {agent_url}/v1/commands/`: every command of this boot, oldest first. */
  async getCommandsStatus(node: Readonly<Node>): Promise<AgentCommandResult[]> {
    const answer = await this.#send(node.uuid, 'GET', commandsUrl(node), undefined, this.#timeoutMs);
    if (answer.status >= 400) throw apiError(node.uuid, 'get_commands_status', answer);
    const commands = (answer.body as { commands?: unknown } | null)?.commands;
    if (!Array.isArray(commands)) throw new AgentInvalidResponse(node.uuid, 'no "commands" list');
    return commands.map((command) => asCommand(node.uuid, command));
  }

  /** The last result of `name` (with or without its extension prefix), if the agent ran it this boot. */
  async getLastCommandStatus(node: Readonly<Node>, name: string): Promise<AgentCommandResult | undefined> {
    const bare = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
    const commands = await this.getCommandsStatus(node);
    return commands.findLast((command) => command.command_name === bare);
  }

  /** `GET {agentUrl}/v1/status`: whether anything answers there, bounded by `timeoutMs`. */
  async getStatus(agentUrl: string, timeoutMs: number = this.#timeoutMs): Promise<AgentStatus> {
    const url = `${agentUrl.replace(/\/+$/, '')}/v1/status`;
    const answer = await this.#send(agentUrl, 'GET', url, undefined, Math.min(timeoutMs, this.#timeoutMs));
    if (answer.status >= 400) throw apiError(agentUrl, 'get_status', answer);
    const body = answer.body as Partial<AgentStatus> | null;
    if (typeof body?.started_at !== 'number' || typeof body.version !== 'string') {
      throw new AgentInvalidResponse(agentUrl, 'status without "started_at" and "version"');
    }
    return { started_at: body.started_at, version: body.version };
  }

  #send(
    target: string,
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<RawAnswer> {
    return this.#slots.runExclusive(async () => {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method,
          dispatcher: this.#http,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new AgentUnreachable(target, describe(error));
      }
      let text: string;
      try {
        text = await response.body.text();
      } catch (error) {
        throw new AgentUnreachable(target, describe(error));
      }
      try {
        return { status: response.statusCode, body: text === '' ? null : JSON.parse(text) };
      } catch {
        throw new AgentInvalidResponse(
          target,
          `not JSON (HTTP ${response.statusCode}): ${text.slice(0, 200)}`,
        );
      }
    });
  }
}

function commandsUrl(node: Readonly<Node>): string {
  const agentUrl = node.driver_internal_info.agent_url;
  if (typeof agentUrl !== 'string' || agentUrl === '') {
    throw new AgentUnreachable(node.uuid, 'Agent driver requires agent_url in driver_internal_info');
  }
  return `${agentUrl.replace(/\/+$/, '')}/v1/commands/`;
}

function apiError(target: string, command: string, answer: RawAnswer): AgentError {
  const fault = (answer.body as { faultstring?: unknown } | null)?.faultstring;
  const faultstring = typeof fault === 'string' ? fault : `HTTP ${answer.status}`;
  const busy = answer.status === 409 || faultstring.toLowerCase().includes('agent is busy');
  return busy
    ? new AgentBusy(target, command, answer.status, faultstring)
    : new AgentError(target, command, answer.status, faultstring);
}

function asCommand(target: string, value: unknown): AgentCommandResult {
  const command = value as Partial<AgentCommandResult> | null;
  const status = command?.command_status;
  if (
    typeof command?.command_name !== 'string' ||
    (status !== 'RUNNING' && status !== 'SUCCEEDED' && status !== 'FAILED')
  ) {
    throw new AgentInvalidResponse(target, `not a command result: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return {
    id: typeof command.id === 'string' ? command.id : '',
    command_name: command.command_name,
    command_status: status,
    command_error: command.command_error ?? null,
    command_result: command.command_result ?? null,
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
