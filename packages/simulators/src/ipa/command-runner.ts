import { randomUUID } from 'node:crypto';
import { AgentFault } from './agent-fault.js';
import { COMMAND_CATALOG, type CommandMachine, type CommandSpec } from './command-catalog.js';
import type { SessionTimers } from './session-timers.js';
import type { IpaCommandError, IpaCommandResult, IpaCommandStatus } from './types.js';

/** Behaviour switches the test sets on an agent, keyed by full command name. */
export interface CommandFaults {
  /** These commands never end (async ones stay RUNNING; a sync one never answers). */
  readonly hung: ReadonlySet<string>;
  /** These commands end FAILED with this message as the error's details. */
  readonly failures: ReadonlyMap<string, string>;
}

/** Settings of one boot's command runner. */
export interface CommandRunnerOptions {
  /** The boot's timers: cancelled when the ramdisk stops. */
  readonly timers: SessionTimers;
  readonly commandDurationMs: number;
  readonly machine: CommandMachine;
  readonly faults: CommandFaults;
  /** A command was recorded (RUNNING, or already ended for sync commands). */
  onStarted(result: IpaCommandResult): void;
  /** An async command ended (IPA forces a heartbeat then). */
  onEnded(result: IpaCommandResult): void;
  /** A shutdown command ran: the ramdisk goes away. */
  onShutdown(kind: 'poweroff' | 'reboot'): void;
}

/** What `execute` did: a recorded command, or nothing yet because a hung sync command holds the lock. */
export type CommandExecution =
  | { readonly kind: 'recorded'; readonly record: CommandRecord; readonly afterResponse?: () => void }
  | { readonly kind: 'blocked' };

/** One command result, mutable while RUNNING. */
export class CommandRecord {
  readonly id = randomUUID();
  status: IpaCommandStatus = 'RUNNING';
  error: IpaCommandError | null = null;
  result: Record<string, unknown> | null = null;
  private resolveDone!: () => void;
  /** Settles when the command has ended. */
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(readonly commandName: string) {}

  end(status: 'SUCCEEDED' | 'FAILED', value: Record<string, unknown> | IpaCommandError | null): void {
    if (this.status !== 'RUNNING') return;
    this.status = status;
    if (status === 'FAILED') this.error = value as IpaCommandError | null;
    else this.result = value as Record<string, unknown> | null;
    this.resolveDone();
  }

  serialize(): IpaCommandResult {
    return {
      id: this.id,
      command_name: this.commandName,
      command_status: this.status,
      command_error: this.error,
      command_result: this.result,
    };
  }
}

/**
 * IPA's `ExecuteCommandMixin` for one boot of the ramdisk: one command at a time (409 while the last
 * one runs), results kept oldest first, errors raised exactly where IPA raises them.
 */
export class CommandRunner {
  private readonly records = new Map<string, CommandRecord>();
  private lockHeldForever = false;
  private disposed = false;

  constructor(private readonly options: CommandRunnerOptions) {}

  /** Results oldest first, as `GET /v1/commands/` lists them. */
  list(): IpaCommandResult[] {
    return [...this.records.values()].map((record) => record.serialize());
  }

  /** One result by id. */
  get(id: string): CommandRecord | undefined {
    return this.records.get(id);
  }

  /** Runs `<extension>.<command>`; throws an `AgentFault` where IPA answers with an error. */
  execute(fullName: string, params: Record<string, unknown>): CommandExecution {
    if (this.lockHeldForever) return { kind: 'blocked' };
    const dot = fullName.indexOf('.');
    if (dot <= 0 || dot === fullName.length - 1) {
      throw AgentFault.rest(400, 'Invalid command', 'Command name must be of the form <extension>.<name>');
    }
    const last = [...this.records.values()].at(-1);
    if (last && last.status === 'RUNNING') {
      throw AgentFault.rest(409, 'Agent is busy', `executing command ${last.commandName}`);
    }
    const extension = fullName.slice(0, dot);
    const name = fullName.slice(dot + 1);
    const commands = COMMAND_CATALOG[extension];
    if (!commands) throw AgentFault.rest(404, 'Not found', `Extension with id ${extension} not found.`);
    const spec = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!spec) throw AgentFault.rest(400, 'Invalid command', `Unknown command: ${name}`);
    spec.validate?.(params);
    return spec.mode === 'sync'
      ? this.runSync(fullName, name, spec, params)
      : this.runAsync(fullName, name, spec, params);
  }

  /** The ramdisk is gone: nothing scheduled may still end a command. */
  dispose(): void {
    this.disposed = true;
  }

  private runSync(fullName: string, name: string, spec: CommandSpec, params: Record<string, unknown>) {
    const { faults, machine } = this.options;
    if (faults.hung.has(fullName)) {
      // IPA runs a sync command under its command lock: every later command waits behind it.
      this.lockHeldForever = true;
      return { kind: 'blocked' } as const;
    }
    const failure = faults.failures.get(fullName);
    // A sync command that raises is recorded by execute_command under its full dotted name.
    const record = new CommandRecord(failure === undefined ? name : fullName);
    if (failure === undefined) record.end('SUCCEEDED', wrapResult(spec.run(params, machine), null));
    else record.end('FAILED', commandExecutionError(failure));
    this.records.set(record.id, record);
    this.options.onStarted(record.serialize());
    return { kind: 'recorded', record } as const;
  }

  private runAsync(fullName: string, name: string, spec: CommandSpec, params: Record<string, unknown>) {
    const { faults } = this.options;
    const record = new CommandRecord(name);
    this.records.set(record.id, record);
    this.options.onStarted(record.serialize());
    if (faults.hung.has(fullName)) return { kind: 'recorded', record } as const;
    const finish = () => this.finish(record, fullName, spec, params);
    if (spec.shutdown) return { kind: 'recorded', record, afterResponse: finish } as const;
    this.options.timers.schedule(spec.slow ? this.options.commandDurationMs : 0, finish);
    return { kind: 'recorded', record } as const;
  }

  private finish(
    record: CommandRecord,
    fullName: string,
    spec: CommandSpec,
    params: Record<string, unknown>,
  ) {
    if (this.disposed) return;
    const failure = this.options.faults.failures.get(fullName);
    if (failure !== undefined) {
      record.end('FAILED', commandExecutionError(failure));
    } else {
      record.end('SUCCEEDED', wrapResult(spec.run(params, this.options.machine), record.commandName));
    }
    this.options.onEnded(record.serialize());
    if (record.status === 'SUCCEEDED' && spec.shutdown) this.options.onShutdown(spec.shutdown);
  }
}

/** IPA's `CommandExecutionError(details)` serialized. */
function commandExecutionError(details: string): IpaCommandError {
  return { type: 'CommandExecutionError', code: 500, message: 'Command execution failed', details };
}

/** A string result becomes `{"result": …}`, prefixed `"<name>: "` by async commands. */
function wrapResult(
  value: string | Record<string, unknown> | null,
  asyncName: string | null,
): Record<string, unknown> | null {
  if (typeof value !== 'string') return value;
  return { result: asyncName === null ? value : `${asyncName}: ${value}` };
}
