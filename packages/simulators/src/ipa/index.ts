export { DuplicateIpaAgent, InvalidIpaAgentOption, IpaFleetClosed, IpaSimulatorError } from './errors.js';
export { IpaFleet, startIpaFleet } from './fleet.js';
export { bindToPower } from './power-binding.js';
export { realIpaClock } from './real-clock.js';
export { SimulatedIpaAgent } from './simulated-agent.js';
export type {
  AddIpaAgentOptions,
  IpaAgentEvents,
  IpaAgentState,
  IpaClock,
  IpaCommandError,
  IpaCommandResult,
  IpaCommandStatus,
  IpaFleetOptions,
  IpaHeartbeatRecord,
  IpaPowerSource,
  IpaPowerState,
} from './types.js';
