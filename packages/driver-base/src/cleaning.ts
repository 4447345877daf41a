import type { InterfaceName } from './driver.js';
import { InvalidParameterValue, UnsupportedDriverExtension } from './errors.js';
import type { CleanStep, JsonObject, JsonValue } from './node.js';
import { ProvisionState } from './provision-states.js';
import type { Task } from './task.js';

const STEPS_KEY = 'clean_steps';
const INDEX_KEY = 'clean_step_index';

/** Checks that every step names an interface of the node's driver that offers that step. */
export function validateCleanSteps(task: Task, steps: unknown): CleanStep[] {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new InvalidParameterValue(
      'clean_steps must be a non-empty list of {"interface", "step", "args"} objects',
    );
  }
  return steps.map((raw, index) => {
    const step = raw as Partial<CleanStep> | null;
    if (typeof step !== 'object' || step === null)
      throw new InvalidParameterValue(`clean_steps[${index}] must be an object`);
    if (typeof step.interface !== 'string')
      throw new InvalidParameterValue(`clean_steps[${index}].interface is required`);
    if (typeof step.step !== 'string')
      throw new InvalidParameterValue(`clean_steps[${index}].step is required`);
    if (
      step.args !== undefined &&
      (typeof step.args !== 'object' || step.args === null || Array.isArray(step.args))
    ) {
      throw new InvalidParameterValue(`clean_steps[${index}].args must be an object`);
    }
    const iface = task.driver.interfaces[step.interface as InterfaceName];
    if (!iface)
      throw new UnsupportedDriverExtension(
        task.driver.name,
        `the "${step.interface}" interface (clean_steps[${index}])`,
      );
    if (!iface.cleanSteps?.[step.step]) {
      throw new InvalidParameterValue(
        `clean_steps[${index}]: the ${step.interface} interface of driver ${task.driver.name} has no clean step "${step.step}"`,
      );
    }
    return { interface: step.interface, step: step.step, args: step.args ?? {} };
  });
}

function describe(step: CleanStep): string {
  return `${step.interface}.${step.step}`;
}

/**
 * Runs the node's remaining clean steps in order (the node is `cleaning`, exclusively locked). A step
 * that answers `'wait'` leaves the node in `clean wait`; a driver's periodic task later calls
 * `continueCleaning`. When all are done: `manageable` after a manual clean, `available` otherwise.
 */
export async function runCleanSteps(task: Task): Promise<void> {
  const info = task.node.driver_internal_info;
  const steps = (info[STEPS_KEY] ?? []) as unknown as CleanStep[];
  let index = typeof info[INDEX_KEY] === 'number' ? (info[INDEX_KEY] as number) + 1 : 0;
  for (; index < steps.length; index++) {
    const step = steps[index] as CleanStep;
    await task.save({
      clean_step: step as unknown as JsonObject,
      driver_internal_info: { ...task.node.driver_internal_info, [INDEX_KEY]: index },
    });
    let outcome: unknown;
    try {
      const handler = task.driver.interfaces[step.interface as InterfaceName]?.cleanSteps?.[step.step];
      if (!handler) throw new UnsupportedDriverExtension(task.driver.name, `clean step ${describe(step)}`);
      outcome = await handler(task, step.args ?? {});
    } catch (error) {
      await failCleaning(task, `Clean step ${describe(step)} failed: ${errorMessage(error)}`);
      return;
    }
    if (outcome === 'wait') {
      await task.processEvent('wait');
      return;
    }
  }
  const manual = task.node.target_provision_state === ProvisionState.MANAGEABLE;
  const { [STEPS_KEY]: _steps, [INDEX_KEY]: _index, ...rest } = task.node.driver_internal_info;
  await task.processEvent(manual ? 'manage' : 'done', {
    lastError: null,
    changes: { clean_step: {}, driver_internal_info: rest },
  });
}

/** Resumes cleaning after an asynchronous step finished (`clean wait` → `cleaning` → next steps). */
export async function continueCleaning(task: Task): Promise<void> {
  await task.processEvent('resume');
  await runCleanSteps(task);
}

/** Fails cleaning with a message (`clean failed`, `last_error` set, step bookkeeping cleared). */
export async function failCleaning(task: Task, message: string): Promise<void> {
  const { [STEPS_KEY]: _steps, [INDEX_KEY]: _index, ...rest } = task.node.driver_internal_info;
  await task.processEvent('fail', {
    lastError: message,
    changes: { clean_step: {}, driver_internal_info: rest },
  });
}

/** Starts cleaning with these steps (the node has just entered `cleaning`). */
export async function startCleaning(task: Task, steps: readonly CleanStep[]): Promise<void> {
  await task.save({
    driver_internal_info: {
      ...task.node.driver_internal_info,
      [STEPS_KEY]: steps as unknown as JsonValue,
      [INDEX_KEY]: -1,
    },
  });
  await runCleanSteps(task);
}

/** The message of an error, or its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
