/** The operations of inspector's v1 API the simulator serves. */
export type Operation =
  | 'apiRoot'
  | 'versionRoot'
  | 'listIntrospections'
  | 'getStatus'
  | 'startIntrospection'
  | 'abortIntrospection'
  | 'getData';

/** Result of matching a request line against the route table. */
export type RouteMatch =
  | {
      readonly kind: 'operation';
      readonly operation: Operation;
      readonly routeKey: string;
      readonly param: string;
    }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly string[] }
  | { readonly kind: 'notFound' };

interface Route {
  readonly pattern: RegExp;
  /** Route template used as the stats key, e.g. `/v1/introspection/{node_id}`. */
  readonly template: string;
  readonly methods: Readonly<Record<string, Operation>>;
}

// Order matters: the catch-all `/{version}` must come after the fixed `/v1/...` paths.
const ROUTES: readonly Route[] = [
  { pattern: /^\/$/, template: '/', methods: { GET: 'apiRoot' } },
  { pattern: /^\/v1\/introspection$/, template: '/v1/introspection', methods: { GET: 'listIntrospections' } },
  {
    pattern: /^\/v1\/introspection\/([^/]+)$/,
    template: '/v1/introspection/{node_id}',
    methods: { GET: 'getStatus', POST: 'startIntrospection' },
  },
  {
    pattern: /^\/v1\/introspection\/([^/]+)\/abort$/,
    template: '/v1/introspection/{node_id}/abort',
    methods: { POST: 'abortIntrospection' },
  },
  {
    pattern: /^\/v1\/introspection\/([^/]+)\/data$/,
    template: '/v1/introspection/{node_id}/data',
    methods: { GET: 'getData' },
  },
  { pattern: /^\/([^/]+)$/, template: '/{version}', methods: { GET: 'versionRoot' } },
];

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Matches a method and path (query string removed); trailing slashes are ignored, as inspector does. */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') || '/' : rawPath;
  for (const route of ROUTES) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    // Flask serves HEAD wherever it serves GET.
    const operation = route.methods[method] ?? (method === 'HEAD' ? route.methods.GET : undefined);
    if (!operation) {
      const allow = Object.keys(route.methods);
      return { kind: 'methodNotAllowed', allow: allow.includes('GET') ? [...allow, 'HEAD'] : allow };
    }
    return {
      kind: 'operation',
      operation,
      routeKey: `${method} ${route.template}`,
      param: safeDecode(found[1] ?? ''),
    };
  }
  return { kind: 'notFound' };
}
