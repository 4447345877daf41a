/**
 * Ironic's hardware interfaces, in Ironic's order (`ironic.drivers.base.ALL_INTERFACES`). A node chooses
 * one implementation of each with its `<interface>_interface` field.
 */
export const INTERFACE_NAMES = [
  'bios',
  'boot',
  'console',
  'deploy',
  'inspect',
  'management',
  'network',
  'power',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;

/** One of Ironic's hardware interfaces. */
export type InterfaceName = (typeof INTERFACE_NAMES)[number];

/** Whether `value` names one of Ironic's hardware interfaces. */
export function isInterfaceName(value: unknown): value is InterfaceName {
  return typeof value === 'string' && (INTERFACE_NAMES as readonly string[]).includes(value);
}

/**
 * What Ironic calls the implementation that does nothing: `noop` for network and storage, `no-<name>` for
 * the others (`no-raid`, `no-vendor`...).
 */
export function noImplementationName(kind: InterfaceName): string {
  return kind === 'network' || kind === 'storage' ? 'noop' : `no-${kind}`;
}
