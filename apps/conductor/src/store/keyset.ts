import { type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * Keyset paging: the condition "strictly after the marker row" in `(key, uuid)` order, given the
 * marker's value of `key` and its UUID. PostgreSQL sorts NULLs last ascending and first descending,
 * which the condition follows.
 */
export function afterMarkerRow(
  key: string,
  value: unknown,
  markerUuid: string,
  direction: 'asc' | 'desc',
): RawBuilder<SqlBool> {
  const ref = sql.ref(key);
  const beyond = sql.raw(direction === 'asc' ? '>' : '<');
  if (value === null || value === undefined) {
    return direction === 'asc'
      ? sql<SqlBool>`(${ref} is null and uuid > ${markerUuid})`
      : sql<SqlBool>`(${ref} is not null or (${ref} is null and uuid < ${markerUuid}))`;
  }
  const pastOrTied = sql`${ref} ${beyond} ${value} or (${ref} = ${value} and uuid ${beyond} ${markerUuid})`;
  return direction === 'asc'
    ? sql<SqlBool>`(${pastOrTied} or ${ref} is null)`
    : sql<SqlBool>`(${pastOrTied})`;
}
