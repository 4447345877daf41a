/** A JSON object as the simulated iDRAC serves it. */
export type Json = Record<string, unknown>;

/** A Redfish link. */
export const link = (uri: string): Json => ({ '@odata.id': uri });

/** `Status` of a healthy, enabled resource. */
export const STATUS_OK = { Health: 'OK', HealthRollup: 'OK', State: 'Enabled' } as const;

/** The `@odata.context` / `@odata.id` / `@odata.type` header of a resource. */
export function odata(uri: string, type: string, version?: string): Json {
  return {
    '@odata.context': `/redfish/v1/$metadata#${type}.${type}`,
    '@odata.id': uri,
    '@odata.type': version ? `#${type}.${version}.${type}` : `#${type}.${type}`,
  };
}

/** A Redfish resource collection of `members`. */
export function collection(uri: string, type: string, name: string, members: readonly string[]): Json {
  return {
    ...odata(uri, type),
    Description: `Collection of ${name}`,
    Members: members.map(link),
    'Members@odata.count': members.length,
    Name: name,
  };
}

/** A timestamp as Redfish writes one: ISO 8601 to the second with an offset. */
export function redfishTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
