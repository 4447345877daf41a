import type { SimulatedIpaAgent } from './simulated-agent.js';
import type { IpaPowerSource, IpaPowerState } from './types.js';

/**
 * Couples an agent to whatever owns its power (a simulated BMC): `'power'` events `On` / `Off` power the
 * machine on / off, and a source that is already `On` powers it on now. Returns the function that
 * uncouples them. The agent's own power-off (`standby.power_off`) is announced through
 * `onPowerOffRequested` / the `powerOffRequested` event, for the caller to switch the source off.
 */
export function bindToPower(agent: SimulatedIpaAgent, source: IpaPowerSource): () => void {
  const listener = (state: IpaPowerState) => {
    if (agent.isClosed) return;
    if (state === 'On') agent.powerOn();
    else agent.powerOff();
  };
  source.events.on('power', listener);
  if (source.powerState === 'On') agent.powerOn();
  return () => {
    source.events.off('power', listener);
  };
}
