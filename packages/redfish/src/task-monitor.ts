import { type RedfishClock, sleep } from './clock.js';
import { RequestAborted, TaskFailed, TaskMonitorTimeout } from './errors.js';
import { messagesOf, messageTexts, type RedfishMessage, type RedfishResource } from './messages.js';
import type { RedfishClient, RedfishReply, RedfishRequestOptions } from './redfish-client.js';
import { retryAfterMs } from './retry-after.js';

/** A DMTF Task as a task monitor shows it. */
export interface RedfishTask {
  readonly id: string | undefined;
  /** `New`, `Starting`, `Running`, `Completed`, `Exception`, `Killed`, `Cancelled`, ... */
  readonly state: string | undefined;
  /** `OK`, `Warning` or `Critical`. */
  readonly status: string | undefined;
  readonly percentComplete: number | undefined;
  readonly messages: readonly RedfishMessage[];
  /** The whole Task body. */
  readonly resource: RedfishResource;
}

/** One look at a task monitor. */
export type TaskMonitorPoll =
  | { readonly done: false; readonly task: RedfishTask | undefined; readonly retryAfterMs: number }
  | { readonly done: true; readonly task: RedfishTask | undefined; readonly reply: RedfishReply };

/** How a finished task ended. */
export interface TaskOutcome {
  /** The monitor's last answer: the Task, or the resource the operation made. */
  readonly reply: RedfishReply;
  readonly task: RedfishTask | undefined;
}

/** Options of `TaskMonitor.wait`. */
export interface TaskWaitOptions extends RedfishRequestOptions {
  /** Give up (with `TaskMonitorTimeout`) when the task still runs after this long. Default 10 minutes. */
  readonly taskTimeoutMs?: number;
}

/** Seconds to wait between two looks when the BMC gives no `Retry-After` (sushy's default). */
export const DEFAULT_RETRY_AFTER_MS = 1_000;
const DEFAULT_TASK_TIMEOUT_MS = 600_000;
/** States a finished task may be in and still count as a success, with a `TaskStatus` of OK or Warning. */
const SUCCEEDED = 'Completed';

/** The Task view of a body, if it is a Task (it has a `TaskState`). */
export function parseTask(body: RedfishResource | undefined): RedfishTask | undefined {
  if (!body || typeof body.TaskState !== 'string') return undefined;
  return {
    id: typeof body.Id === 'string' ? body.Id : undefined,
    state: body.TaskState,
    status: typeof body.TaskStatus === 'string' ? body.TaskStatus : undefined,
    percentComplete: typeof body.PercentComplete === 'number' ? body.PercentComplete : undefined,
    messages: messagesOf(body.Messages),
    resource: body,
  };
}

/** Whether a finished task succeeded, as Ironic judges it: `Completed` with a status of OK or Warning. */
export function taskSucceeded(task: RedfishTask): boolean {
  return (
    task.state === SUCCEEDED &&
    (task.status === undefined || task.status === 'OK' || task.status === 'Warning')
  );
}

/**
 * A DMTF task monitor: the URI a 202 gave in `Location`. It answers 202 (with the Task) while the task
 * runs, waiting `Retry-After` between looks, and the final answer (the Task, or the operation's result)
 * once it is done. Get one from `RedfishClient.taskMonitor`.
 */
export class TaskMonitor {
  #task: RedfishTask | undefined;
  #retryAfterMs: number;
  #final: RedfishReply | undefined;

  /** @internal Use `RedfishClient.taskMonitor`. */
  constructor(
    readonly client: RedfishClient,
    /** The monitor's path, e.g. `/redfish/v1/TaskService/TaskMonitors/JID_123`. */
    readonly uri: string,
    accepted: RedfishReply | undefined,
    readonly clock: RedfishClock,
  ) {
    this.#task = parseTask(accepted?.body);
    this.#retryAfterMs = accepted
      ? retryAfterMs(accepted.headers['retry-after'], clock.now(), DEFAULT_RETRY_AFTER_MS)
      : DEFAULT_RETRY_AFTER_MS;
  }

  /** The Task as last seen (from the 202 or a poll). */
  get task(): RedfishTask | undefined {
    return this.#task;
  }

  /** How long the BMC asked to wait before the next look. */
  get retryAfterMs(): number {
    return this.#retryAfterMs;
  }

  /** Looks at the monitor once: one GET. */
  async poll(options: RedfishRequestOptions = {}): Promise<TaskMonitorPoll> {
    if (this.#final) return { done: true, task: this.#task, reply: this.#final };
    const reply = await this.client.request('GET', this.uri, undefined, options);
    const task = parseTask(reply.body);
    if (task) this.#task = task;
    if (reply.status === 202) {
      this.#retryAfterMs = retryAfterMs(
        reply.headers['retry-after'],
        this.clock.now(),
        DEFAULT_RETRY_AFTER_MS,
      );
      return { done: false, task: this.#task, retryAfterMs: this.#retryAfterMs };
    }
    this.#final = reply;
    return { done: true, task: this.#task, reply };
  }

  /**
   * Polls until the task is done, waiting `Retry-After` (on the client's clock) between looks. Resolves
   * with the outcome of a successful task; rejects with `TaskFailed` when it ended otherwise,
   * `TaskMonitorTimeout` when `taskTimeoutMs` passes first, `RequestAborted` when `signal` fires.
   */
  async wait(options: TaskWaitOptions = {}): Promise<TaskOutcome> {
    const timeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      const look = await this.poll(options);
      if (look.done) {
        if (look.task && !taskSucceeded(look.task)) {
          throw new TaskFailed(
            this.client.address,
            this.uri,
            look.task.state,
            look.task.status,
            messageTexts(look.task.messages),
          );
        }
        return { reply: look.reply, task: look.task };
      }
      const now = this.clock.now();
      if (now >= deadline) throw new TaskMonitorTimeout(this.client.address, this.uri, timeoutMs);
      try {
        await sleep(this.clock, Math.min(look.retryAfterMs, deadline - now), options.signal);
      } catch (error) {
        throw new RequestAborted(
          `Waiting for the task behind ${this.uri} on the BMC at ${this.client.address}`,
          {
            cause: error,
          },
        );
      }
    }
  }
}
