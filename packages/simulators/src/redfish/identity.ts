import { createHash } from 'node:crypto';

/** The per-machine identifiers an iDRAC reports (service tag, system UUID, iDRAC MAC). */
export interface BmcIdentity {
  readonly serviceTag: string;
  readonly uuid: string;
  readonly macAddress: string;
}

/** Stable identifiers derived from the BMC's id, so the same id always looks like the same machine. */
export function identityFor(bmcId: string): BmcIdentity {
  const digest = createHash('sha256').update(bmcId).digest();
  const alphabet = '0123456789BCDFGHJKLMNPQRSTVWXYZ';
  const serviceTag = [...digest.subarray(0, 7)].map((byte) => alphabet[byte % alphabet.length]).join('');
  const hex = digest.subarray(8, 24).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const macAddress = [0x4c, 0xd9, 0x8f, ...digest.subarray(24, 27)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join(':');
  return { serviceTag, uuid, macAddress };
}
