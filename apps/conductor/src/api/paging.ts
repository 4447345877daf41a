/**
 * Ironic's `next` link of a full page: `<url>?<args>limit=<n>&marker=<uuid>`, the arguments written
 * as Ironic writes them (not URL-encoded; booleans as `True`/`False`; `fields` comma-joined, last).
 */
export function nextLink(
  url: string,
  args: ReadonlyArray<readonly [string, string | number | boolean | readonly string[] | undefined]>,
  items: readonly { uuid: string }[],
  limit: number,
): string | undefined {
  if (items.length === 0 || items.length !== limit) return undefined;
  const written = args
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text =
        typeof value === 'boolean'
          ? value
            ? 'True'
            : 'False'
          : Array.isArray(value)
            ? value.join(',')
            : String(value);
      return `${key}=${text}&`;
    })
    .join('');
  return `${url}?${written}limit=${limit}&marker=${items.at(-1)!.uuid}`;
}
