import type { BaseInterface, CleanStepDefinition, CleanStepHandler } from './driver.js';
import { InvalidParameterValue, UnsupportedDriverExtension } from './errors.js';
import type { InterfaceName } from './interface-names.js';
import type { CleanStep, JsonObject, JsonValue } from './node.js';
import { ProvisionState } from './provision-states.js';
import type { Task } from './task.js';

const STEPS_KEY = 'clean_steps';
const INDEX_KEY = 'clean_step_index';

/**
 * When two automated steps have the same priority, the one of the interface ranked higher here runs
 * first (Ironic's `CLEANING_INTERFACE_PRIORITY`); these are also the interfaces clean steps may name.
 */
export const CLEANING_INTERFACE_PRIORITY: Readonly<Record<string, number>> = {
  power: 5,
  management: 4,
  deploy: 3,
  bios: 2,
  raid: 1,
};

/** A clean step an interface offers, with its metadata. */
export interface OfferedCleanStep {
  readonly interface: InterfaceName;
  readonly step: string;
  readonly priority: number;
  readonly abortable: boolean;
  readonly argsinfo: CleanStepDefinition['argsinfo'] | null;
  readonly run: CleanStepHandler;
}

function definitionOf(entry: CleanStepHandler | CleanStepDefinition): CleanStepDefinition {
  return typeof entry === 'function' ? { run: entry } : entry;
}

/** The clean steps of one interface, normalised (a bare handler is a manual step of priority 0). */
export function cleanStepsOf(kind: InterfaceName, iface: BaseInterface | undefined): OfferedCleanStep[] {
  return Object.entries(iface?.cleanSteps ?? {}).map(([step, entry]) => {
    const definition = definitionOf(entry);
    return {
      interface: kind,
      step,
      priority: definition.priority ?? 0,
      abortable: definition.abortable ?? false,
      argsinfo: definition.argsinfo ?? null,
      run: definition.run,
    };
  });
}

/** Every clean step the node's interfaces offer (its chosen implementations). */
export function offeredCleanSteps(task: Task): OfferedCleanStep[] {
  const interfaces = task.driver.interfaces as unknown as Record<string, BaseInterface | undefined>;
  return Object.keys(CLEANING_INTERFACE_PRIORITY).flatMap((kind) =>
    cleanStepsOf(kind as InterfaceName, interfaces[kind]),
  );
}

/**
 * The steps automated cleaning runs: those with a priority above 0, highest first, ties broken by
 * Ironic's interface ranking. The driver decides them through its interfaces' `cleanSteps`.
 */
export function automatedCleanSteps(task: Task): CleanStep[] {
  return offeredCleanSteps(task)
    .filter((step) => step.priority > 0)
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        (CLEANING_INTERFACE_PRIORITY[b.interface] ?? 0) - (CLEANING_INTERFACE_PRIORITY[a.interface] ?? 0),
    )
    .map((step) => ({ interface: step.interface, step: step.step, priority: step.priority, args: {} }));
}

function findStep(task: Task, kind: string, name: string): OfferedCleanStep | undefined {
  const interfaces = task.driver.interfaces as unknown as Record<string, BaseInterface | undefined>;
  return cleanStepsOf(kind as InterfaceName, interfaces[kind]).find((step) => step.step === name);
}

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
    const kind = step.interface as InterfaceName;
    const iface = (task.driver.interfaces as unknown as Record<string, BaseInterface | undefined>)[kind];
    if (!iface) throw new UnsupportedDriverExtension(task.driver.name, step.interface);
    if (!findStep(task, kind, step.step)) {
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
      const offered = findStep(task, step.interface, step.step);
      if (!offered) throw new UnsupportedDriverExtension(task.driver.name, `clean step ${describe(step)}`);
      outcome = await offered.run(task, step.args ?? {});
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

/**
 * Automated cleaning (the node has just entered `cleaning` on its way to `available`): the steps the
 * driver's interfaces mark with a priority, unless the node's `automated_clean` is false.
 */
export async function startAutomatedCleaning(task: Task): Promise<void> {
  if (task.node.automated_clean === false) {
    task.logger.info('automated cleaning is disabled for the node; it goes straight to available');
    await startCleaning(task, []);
    return;
  }
  await startCleaning(task, automatedCleanSteps(task));
}

/** The message of an error, or its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
