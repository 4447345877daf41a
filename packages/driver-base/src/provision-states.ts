/**
 * Ironic's provision states, with Ironic's exact spellings, and its state machine
 * (`ironic/common/states.py`). Only the listed transitions are legal.
 */
export const ProvisionState = {
  ENROLL: 'enroll',
  VERIFYING: 'verifying',
  MANAGEABLE: 'manageable',
  INSPECTING: 'inspecting',
  INSPECTWAIT: 'inspect wait',
  INSPECTFAIL: 'inspect failed',
  CLEANING: 'cleaning',
  CLEANWAIT: 'clean wait',
  CLEANFAIL: 'clean failed',
  AVAILABLE: 'available',
  DEPLOYING: 'deploying',
  DEPLOYWAIT: 'wait call-back',
  DEPLOYFAIL: 'deploy failed',
  ACTIVE: 'active',
  DELETING: 'deleting',
  ERROR: 'error',
  ADOPTING: 'adopting',
  ADOPTFAIL: 'adopt failed',
  RESCUING: 'rescuing',
  RESCUEWAIT: 'rescue wait',
  RESCUEFAIL: 'rescue failed',
  RESCUE: 'rescue',
  UNRESCUING: 'unrescuing',
  UNRESCUEFAIL: 'unrescue failed',
} as const;

/** One of Ironic's provision states. */
export type ProvisionState = (typeof ProvisionState)[keyof typeof ProvisionState];

/** The events of the state machine (Ironic's names). */
export type ProvisionEvent =
  | 'manage'
  | 'inspect'
  | 'clean'
  | 'provide'
  | 'deploy'
  | 'rebuild'
  | 'delete'
  | 'abort'
  | 'adopt'
  | 'rescue'
  | 'unrescue'
  | 'wait'
  | 'resume'
  | 'done'
  | 'fail';

const S = ProvisionState;

/** States where a node rests until an operator acts; a stable state has no target. */
export const STABLE_STATES: ReadonlySet<ProvisionState> = new Set([
  S.ENROLL,
  S.MANAGEABLE,
  S.AVAILABLE,
  S.ACTIVE,
  S.ERROR,
  S.RESCUE,
]);

/**
 * States where a node waits on something outside the conductor (a ramdisk's callback, a BMC job, an
 * inspection service), each bounded by one of Ironic's timeouts.
 */
export const WAIT_STATES: ReadonlySet<ProvisionState> = new Set([
  S.CLEANWAIT,
  S.INSPECTWAIT,
  S.DEPLOYWAIT,
  S.RESCUEWAIT,
]);

/** The default `target_provision_state` of each transient state. */
const DEFAULT_TARGETS: Readonly<Partial<Record<ProvisionState, ProvisionState>>> = {
  [S.VERIFYING]: S.MANAGEABLE,
  [S.DEPLOYING]: S.ACTIVE,
  [S.DEPLOYWAIT]: S.ACTIVE,
  [S.DEPLOYFAIL]: S.ACTIVE,
  [S.CLEANING]: S.AVAILABLE,
  [S.CLEANWAIT]: S.AVAILABLE,
  [S.CLEANFAIL]: S.AVAILABLE,
  [S.DELETING]: S.AVAILABLE,
  [S.INSPECTING]: S.MANAGEABLE,
  [S.INSPECTWAIT]: S.MANAGEABLE,
  [S.INSPECTFAIL]: S.MANAGEABLE,
  [S.ADOPTING]: S.ACTIVE,
  [S.ADOPTFAIL]: S.ACTIVE,
  [S.RESCUING]: S.RESCUE,
  [S.RESCUEWAIT]: S.RESCUE,
  [S.RESCUEFAIL]: S.RESCUE,
  [S.UNRESCUING]: S.ACTIVE,
  [S.UNRESCUEFAIL]: S.ACTIVE,
};

type TransitionTable = Readonly<
  Partial<Record<ProvisionState, Readonly<Partial<Record<ProvisionEvent, ProvisionState>>>>>
>;

/** Every legal transition: `TRANSITIONS[from][event] = to`. */
export const TRANSITIONS: TransitionTable = {
  [S.ENROLL]: { manage: S.VERIFYING },
  [S.VERIFYING]: { done: S.MANAGEABLE, fail: S.ENROLL },
  [S.MANAGEABLE]: { inspect: S.INSPECTING, clean: S.CLEANING, provide: S.CLEANING, adopt: S.ADOPTING },
  [S.INSPECTING]: { done: S.MANAGEABLE, fail: S.INSPECTFAIL, wait: S.INSPECTWAIT },
  [S.INSPECTWAIT]: { done: S.MANAGEABLE, fail: S.INSPECTFAIL, abort: S.INSPECTFAIL },
  [S.INSPECTFAIL]: { manage: S.MANAGEABLE, inspect: S.INSPECTING },
  [S.CLEANING]: { done: S.AVAILABLE, manage: S.MANAGEABLE, fail: S.CLEANFAIL, wait: S.CLEANWAIT },
  [S.CLEANWAIT]: { resume: S.CLEANING, fail: S.CLEANFAIL, abort: S.CLEANFAIL },
  [S.CLEANFAIL]: { manage: S.MANAGEABLE },
  [S.AVAILABLE]: { deploy: S.DEPLOYING, manage: S.MANAGEABLE },
  [S.DEPLOYING]: { fail: S.DEPLOYFAIL, wait: S.DEPLOYWAIT, done: S.ACTIVE },
  [S.DEPLOYWAIT]: { resume: S.DEPLOYING, fail: S.DEPLOYFAIL, delete: S.DELETING },
  [S.DEPLOYFAIL]: { rebuild: S.DEPLOYING, deploy: S.DEPLOYING, delete: S.DELETING },
  [S.ACTIVE]: { rebuild: S.DEPLOYING, delete: S.DELETING, rescue: S.RESCUING },
  [S.DELETING]: { fail: S.ERROR, clean: S.CLEANING },
  [S.ERROR]: { rebuild: S.DEPLOYING, delete: S.DELETING },
  [S.ADOPTING]: { done: S.ACTIVE, fail: S.ADOPTFAIL },
  [S.ADOPTFAIL]: { adopt: S.ADOPTING, manage: S.MANAGEABLE },
  [S.RESCUING]: { done: S.RESCUE, wait: S.RESCUEWAIT, fail: S.RESCUEFAIL },
  [S.RESCUEWAIT]: { resume: S.RESCUING, fail: S.RESCUEFAIL, abort: S.RESCUEFAIL, delete: S.DELETING },
  [S.RESCUE]: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING },
  [S.RESCUEFAIL]: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING },
  [S.UNRESCUING]: { done: S.ACTIVE, fail: S.UNRESCUEFAIL },
  [S.UNRESCUEFAIL]: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING },
};

const ALL_STATES: ReadonlySet<string> = new Set(Object.values(ProvisionState));

/** Whether `value` is one of the provision states listed here. */
export function isProvisionState(value: unknown): value is ProvisionState {
  return typeof value === 'string' && ALL_STATES.has(value);
}

/** Whether a node resting in `state` is in a failure state (`... failed` or `error`). */
export function isFailureState(state: ProvisionState): boolean {
  return state === S.ERROR || state.endsWith(' failed');
}

/** The state `event` leads to from `state`, or `undefined` when the transition is illegal. */
export function nextProvisionState(state: ProvisionState, event: ProvisionEvent): ProvisionState | undefined {
  return TRANSITIONS[state]?.[event];
}

/** The events that are legal from `state`. */
export function allowedEvents(state: ProvisionState): ProvisionEvent[] {
  return Object.keys(TRANSITIONS[state] ?? {}) as ProvisionEvent[];
}

/**
 * The `target_provision_state` after moving into `to`, as Ironic's FSM computes it: none in a stable
 * state; an explicit target when the caller gives one; the target the node already had when the event
 * continues an operation (wait, resume, fail, abort); otherwise the new state's default target.
 */
export function targetAfter(
  to: ProvisionState,
  event: ProvisionEvent,
  currentTarget: ProvisionState | null,
  explicitTarget?: ProvisionState,
): ProvisionState | null {
  if (STABLE_STATES.has(to)) return null;
  if (explicitTarget) return explicitTarget;
  const continuesOperation = event === 'wait' || event === 'resume' || event === 'fail' || event === 'abort';
  if (continuesOperation && currentTarget) return currentTarget;
  return DEFAULT_TARGETS[to] ?? null;
}

/** The inspection timestamps a provision state change sets, as Ironic's database layer does. */
export function inspectionTimestamps(
  from: ProvisionState,
  to: ProvisionState,
  now: string,
): { inspection_started_at?: string | null; inspection_finished_at?: string | null } {
  if (to === S.INSPECTING) return { inspection_started_at: now, inspection_finished_at: null };
  const wasInspecting = from === S.INSPECTING || from === S.INSPECTWAIT;
  if (wasInspecting && to === S.MANAGEABLE)
    return { inspection_finished_at: now, inspection_started_at: null };
  if (wasInspecting && to === S.INSPECTFAIL) return { inspection_started_at: null };
  return {};
}
