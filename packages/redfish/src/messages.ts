/** A JSON object as a Redfish service returns it. */
export type RedfishResource = Record<string, unknown>;

/** One Redfish message: an entry of `@Message.ExtendedInfo`, or of a Task's `Messages`. */
export interface RedfishMessage {
  readonly MessageId?: string;
  readonly Message?: string;
  readonly MessageArgs?: readonly unknown[];
  readonly Resolution?: string;
  readonly Severity?: string;
}

function isObject(value: unknown): value is RedfishResource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The messages of a list, keeping only the entries that are objects. */
export function messagesOf(list: unknown): RedfishMessage[] {
  return Array.isArray(list) ? list.filter((entry): entry is RedfishMessage => isObject(entry)) : [];
}

/** `error.@Message.ExtendedInfo` of a Redfish error body. */
export function extendedInfoOf(body: unknown): RedfishMessage[] {
  const error = isObject(body) ? body.error : undefined;
  return isObject(error) ? messagesOf(error['@Message.ExtendedInfo']) : [];
}

/** The texts of messages, in order, skipping those without one. */
export function messageTexts(messages: readonly RedfishMessage[]): string[] {
  return messages.flatMap((entry) =>
    typeof entry.Message === 'string' && entry.Message ? [entry.Message] : [],
  );
}

/**
 * What the BMC says went wrong: its `@Message.ExtendedInfo` messages joined, else the error body's own
 * `message`, else empty.
 */
export function bmcMessageOf(body: unknown): string {
  const texts = messageTexts(extendedInfoOf(body));
  if (texts.length > 0) return texts.join(' ');
  const error = isObject(body) ? body.error : undefined;
  return isObject(error) && typeof error.message === 'string' ? error.message : '';
}

/** The `@odata.id` of a link object (`{"@odata.id": "/redfish/v1/..."}`), if any. */
export function odataId(link: unknown): string | undefined {
  const id = isObject(link) ? link['@odata.id'] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The URIs of a collection's `Members` (or any list of links). */
export function memberUris(value: unknown): string[] {
  const list = isObject(value) && Array.isArray(value.Members) ? value.Members : value;
  return Array.isArray(list) ? list.flatMap((entry) => odataId(entry) ?? []) : [];
}
