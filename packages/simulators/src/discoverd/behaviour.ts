import { InvalidBehaviourError } from './errors.js';
import type { HardwareProfile, NodeBehaviour } from './types.js';

/** A node's behaviour with every field settled; `hardware` holds only explicitly configured fields. */
export interface ResolvedBehaviour {
  readonly durationMs: number;
  readonly fail: string | undefined;
  readonly abortDurationMs: number;
  readonly responseDelayMs: number;
  readonly serverError: boolean;
  readonly closeConnection: boolean;
  readonly hardware: Partial<HardwareProfile>;
}

/** Introspection length when nobody configured one: a quick ramdisk boot and callback. */
export const DEFAULT_DURATION_MS = 30_000;

const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

function checkNonNegativeFinite(field: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
    throw new InvalidBehaviourError(field, `expected a finite number >= 0, got ${String(value)}`);
  }
}

function checkPositiveInteger(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
    throw new InvalidBehaviourError(field, `expected a positive integer, got ${String(value)}`);
  }
}

function checkNonEmptyString(field: string, value: string | undefined): void {
  if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
    throw new InvalidBehaviourError(field, `expected a non-empty string, got ${JSON.stringify(value)}`);
  }
}

function checkBoolean(field: string, value: boolean | undefined): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new InvalidBehaviourError(field, `expected a boolean, got ${JSON.stringify(value)}`);
  }
}

function validateHardware(hardware: Partial<HardwareProfile>): void {
  checkPositiveInteger('hardware.cpus', hardware.cpus);
  checkNonEmptyString('hardware.cpuArch', hardware.cpuArch);
  checkNonEmptyString('hardware.cpuModelName', hardware.cpuModelName);
  if (
    hardware.cpuFrequencyMhz !== undefined &&
    !(Number.isFinite(hardware.cpuFrequencyMhz) && hardware.cpuFrequencyMhz > 0)
  ) {
    throw new InvalidBehaviourError(
      'hardware.cpuFrequencyMhz',
      `expected a finite number > 0, got ${hardware.cpuFrequencyMhz}`,
    );
  }
  checkPositiveInteger('hardware.memoryMb', hardware.memoryMb);
  if (hardware.disksGb !== undefined) {
    if (!Array.isArray(hardware.disksGb)) {
      throw new InvalidBehaviourError('hardware.disksGb', 'expected an array of disk sizes in GiB');
    }
    hardware.disksGb.forEach((size, index) => {
      checkPositiveInteger(`hardware.disksGb[${index}]`, size);
    });
  }
  if (hardware.macs !== undefined) {
    if (!Array.isArray(hardware.macs) || hardware.macs.length === 0) {
      // ironic-inspector rejects an inventory without network interfaces.
      throw new InvalidBehaviourError('hardware.macs', 'expected a non-empty array of MAC addresses');
    }
    hardware.macs.forEach((mac, index) => {
      if (typeof mac !== 'string' || !MAC_PATTERN.test(mac)) {
        throw new InvalidBehaviourError(
          `hardware.macs[${index}]`,
          `expected aa:bb:cc:dd:ee:ff, got ${JSON.stringify(mac)}`,
        );
      }
    });
  }
  checkNonEmptyString('hardware.bmcAddress', hardware.bmcAddress);
  if (hardware.bootMode !== undefined && hardware.bootMode !== 'bios' && hardware.bootMode !== 'uefi') {
    throw new InvalidBehaviourError(
      'hardware.bootMode',
      `expected "bios" or "uefi", got ${JSON.stringify(hardware.bootMode)}`,
    );
  }
  checkNonEmptyString('hardware.manufacturer', hardware.manufacturer);
  checkNonEmptyString('hardware.productName', hardware.productName);
}

/** Throws {@link InvalidBehaviourError} naming the first bad field of `behaviour`. */
export function validateBehaviour(behaviour: NodeBehaviour): void {
  if (typeof behaviour !== 'object' || behaviour === null) {
    throw new InvalidBehaviourError('behaviour', 'expected an object');
  }
  checkNonNegativeFinite('durationMs', behaviour.durationMs);
  checkNonEmptyString('fail', behaviour.fail);
  checkNonNegativeFinite('abortDurationMs', behaviour.abortDurationMs);
  checkNonNegativeFinite('responseDelayMs', behaviour.responseDelayMs);
  checkBoolean('serverError', behaviour.serverError);
  checkBoolean('closeConnection', behaviour.closeConnection);
  if (behaviour.hardware !== undefined) {
    if (typeof behaviour.hardware !== 'object' || behaviour.hardware === null) {
      throw new InvalidBehaviourError('hardware', 'expected an object');
    }
    validateHardware(behaviour.hardware);
  }
}

/** Copies a behaviour so later changes by the caller do not leak into the simulator. */
export function freezeBehaviour(behaviour: NodeBehaviour): NodeBehaviour {
  const hardware = behaviour.hardware
    ? {
        ...behaviour.hardware,
        ...(behaviour.hardware.disksGb ? { disksGb: [...behaviour.hardware.disksGb] } : {}),
        ...(behaviour.hardware.macs ? { macs: behaviour.hardware.macs.map((mac) => mac.toLowerCase()) } : {}),
      }
    : undefined;
  return Object.freeze({ ...behaviour, ...(hardware ? { hardware: Object.freeze(hardware) } : {}) });
}

/** Settles a node's behaviour: its own settings over the default behaviour over built-in defaults. */
export function resolveBehaviour(
  defaults: NodeBehaviour,
  node: NodeBehaviour | undefined,
): ResolvedBehaviour {
  const own = node ?? {};
  return {
    durationMs: own.durationMs ?? defaults.durationMs ?? DEFAULT_DURATION_MS,
    fail: own.fail ?? defaults.fail,
    abortDurationMs: own.abortDurationMs ?? defaults.abortDurationMs ?? 0,
    responseDelayMs: own.responseDelayMs ?? defaults.responseDelayMs ?? 0,
    serverError: own.serverError ?? defaults.serverError ?? false,
    closeConnection: own.closeConnection ?? defaults.closeConnection ?? false,
    hardware: { ...defaults.hardware, ...own.hardware },
  };
}
