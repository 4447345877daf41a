import type { IntrospectionView } from './types.js';

/** A `links` entry as inspector renders it. */
export interface Link {
  href: string;
  rel: 'self';
}

/** `GET /v1/introspection/{node_id}` body. */
export interface IntrospectionStatusBody {
  uuid: string;
  state: string;
  finished: boolean;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  links: Link[];
}

/**
 * Inspector's timestamp form: Python's `isoformat()` of a naive UTC datetime, with microseconds unless
 * they are zero, e.g. `2017-08-16T12:24:30.123000`.
 */
export function formatInspectorTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const millis = iso.slice(20, 23);
  return millis === '000' ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${millis}000`;
}

/** Renders a link to `path` (no leading slash) under the URL root the client used. */
export function selfLink(urlRoot: string, path: string): Link {
  return { href: `${urlRoot}/${path}`, rel: 'self' };
}

/** Renders one node's introspection status the way inspector's `generate_introspection_status` does. */
export function renderStatus(view: IntrospectionView, urlRoot: string): IntrospectionStatusBody {
  return {
    uuid: view.uuid,
    state: view.state,
    finished: view.finished,
    error: view.error,
    started_at: formatInspectorTimestamp(view.startedAt),
    finished_at: view.finishedAt === null ? null : formatInspectorTimestamp(view.finishedAt),
    links: [selfLink(urlRoot, `v1/introspection/${view.uuid}`)],
  };
}
