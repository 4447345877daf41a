import type { RedfishResource } from './messages.js';
import type { RedfishClient, RedfishRequestOptions } from './redfish-client.js';

/** A ComputerSystem's power as one read of it shows. */
export interface SystemPower {
  /** Redfish `PowerState`: `On`, `Off`, `PoweringOn`, `PoweringOff`; undefined if the system gives none. */
  readonly powerState: string | undefined;
  /** Where to post `#ComputerSystem.Reset`. */
  readonly resetTarget: string;
  /** `ResetType@Redfish.AllowableValues`, when the system lists them. */
  readonly resetTypes: readonly string[] | undefined;
  /** The whole ComputerSystem resource. */
  readonly system: RedfishResource;
}

/** Ironic's power states, as its redfish power interface maps Redfish's. */
export type IronicPowerState = 'power on' | 'power off' | 'error';

/** Ironic's power state of a Redfish `PowerState` (a transition counts as its destination, as in Ironic). */
export function ironicPowerState(powerState: string | undefined): IronicPowerState {
  switch (powerState) {
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

/**
 * Reads a system's power: one `GET` of the ComputerSystem (once the client has a session), as
 * Ironic's `get_power_state` does.
 */
export async function readSystemPower(
  client: RedfishClient,
  systemPath: string,
  options: RedfishRequestOptions = {},
): Promise<SystemPower> {
  const system = await client.get(systemPath, options);
  const actions = system.Actions as Record<string, Record<string, unknown> | undefined> | undefined;
  const reset = actions?.['#ComputerSystem.Reset'];
  const target = reset?.target;
  const allowed = reset?.['ResetType@Redfish.AllowableValues'];
  return {
    powerState: typeof system.PowerState === 'string' ? system.PowerState : undefined,
    resetTarget: typeof target === 'string' ? target : `${systemPath}/Actions/ComputerSystem.Reset`,
    resetTypes: Array.isArray(allowed)
      ? allowed.filter((t): t is string => typeof t === 'string')
      : undefined,
    system,
  };
}

/** Posts `#ComputerSystem.Reset` with `resetType` (`On`, `ForceOff`, `ForceRestart`, ...). */
export async function resetSystem(
  client: RedfishClient,
  resetTarget: string,
  resetType: string,
  options: RedfishRequestOptions = {},
): Promise<void> {
  await client.post(resetTarget, { ResetType: resetType }, options);
}
