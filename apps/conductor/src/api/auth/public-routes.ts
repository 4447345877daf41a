/**
 * Ironic's `acl_public_routes` (ironic/api/config.py): served without authentication whatever
 * `auth_strategy` says. The ramdisk endpoints check the agent token instead. `/healthz` is ours, open as
 * Ironic's `/healthcheck` middleware is (a load balancer or container runtime probes it).
 */
export const PUBLIC_ROUTES: readonly string[] = [
  '/',
  '/v1',
  '/v1/lookup',
  '/v1/heartbeat/[a-z0-9\\-]+',
  '/healthz',
];

// Ironic matches `<route>(\.json|\.xml)?$` from the start of the path, trailing slashes stripped.
const PATTERNS = PUBLIC_ROUTES.map((route) => new RegExp(`^${route}(\\.json|\\.xml)?$`));

/** Whether a request path (no query string) is public, as Ironic's `AuthPublicRoutes` decides. */
export function isPublicPath(rawPath: string): boolean {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  const stripped = path.replace(/\/+$/, '') || path;
  return PATTERNS.some((pattern) => pattern.test(stripped));
}
