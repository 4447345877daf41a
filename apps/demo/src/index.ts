export { type ParsedArgs, parseDemoArgs, USAGE } from './args.js';
export {
  type ConductorProcess,
  type ConductorProcessOptions,
  conductorBinPath,
  startConductorProcess,
} from './conductor-process.js';
export {
  type ConfigOverrides,
  type DemoConductorConfig,
  effectiveConfigFile,
  portOf,
  prepareDataDir,
  readDemoConfig,
} from './demo-config.js';
export {
  ConductorStartFailed,
  DemoConfigError,
  DemoError,
  InvalidDemoOption,
  IronicApiError,
} from './errors.js';
export {
  type ExpectedOutcome,
  FAILURE_MESSAGES,
  type FleetPlanOptions,
  NODE_KINDS,
  type NodeKind,
  type PlannedNode,
  planFleet,
} from './fleet-plan.js';
export {
  API_VERSION,
  faultstringOf,
  IronicClient,
  type NewNode,
  type NodeState,
  type PeriodicTaskFigures,
} from './ironic-client.js';
export { NodeBoard, type NodeBoardOptions, NodeWaitTimedOut } from './node-board.js';
export {
  type FlowContext,
  type FlowResult,
  type PhaseEvent,
  RAID_CLEAN_STEPS,
  RAID1_ROOT,
  runNodeFlow,
} from './node-flow.js';
export { PHASE_LABELS, PHASES, PHASES_BY_KIND, type Phase } from './phases.js';
export { DemoProgress, type PhaseTally } from './progress.js';
export {
  formatNextRun,
  progressBar,
  renderLiveView,
  renderPhases,
  renderStates,
  renderTasks,
  table,
} from './render.js';
export {
  DEMO_CONFIG_FILE,
  DEMO_PACKAGE_DIR,
  type DemoOptions,
  type DemoResult,
  runDemo,
} from './run-demo.js';
export {
  DEMO_IMAGE,
  DEMO_TIMINGS,
  type FleetTimings,
  type SimulatedFleet,
  type SimulatedFleetOptions,
  startSimulatedFleet,
} from './simulated-fleet.js';
export { type DemoSummary, judgeNodes, type NodeVerdict, renderSummary } from './summary.js';
export { LiveView, type Output, PlainView, type ProgressView } from './views.js';
