import type { NodeKind } from './fleet-plan.js';

/** The operator's steps, in the order the demo shows them. */
export const PHASES = ['enroll', 'manage', 'inspect', 'clean', 'provide', 'deploy'] as const;
/** One of {@link PHASES}. */
export type Phase = (typeof PHASES)[number];

/** What each phase does, for the live view and the logs. */
export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  enroll: 'enroll',
  manage: 'manage',
  inspect: 'inspect (discoverd)',
  clean: 'clean: RAID-1 root (drac)',
  provide: 'provide',
  deploy: 'deploy (ipa)',
};

/**
 * The phases each kind of node goes through. Each driver has only some interfaces (discoverd: inspect;
 * drac: RAID; ipa: deploy), so across the mix every phase is shown:
 * - discoverd: enroll → manage → inspect → provide (available);
 * - drac: enroll → manage → clean with a RAID-1 root volume → provide (available);
 * - ipa: enroll → manage → provide → deploy (active).
 */
export const PHASES_BY_KIND: Readonly<Record<NodeKind, readonly Phase[]>> = {
  discoverd: ['enroll', 'manage', 'inspect', 'provide'],
  drac: ['enroll', 'manage', 'clean', 'provide'],
  ipa: ['enroll', 'manage', 'provide', 'deploy'],
};
