import { ApiError } from './ironic-errors.js';

/** The oldest API microversion served. */
export const MIN_API_VERSION = '1.1';
/** The newest API microversion served (Ironic 21.4's). */
export const MAX_API_VERSION = '1.82';
/** The header a client names its microversion with. */
export const VERSION_HEADER = 'x-openstack-ironic-api-version';

/** A microversion, `1.x`. */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
}

function parse(text: string): ApiVersion | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

const MIN = parse(MIN_API_VERSION)!;
const MAX = parse(MAX_API_VERSION)!;

/** The newest version served. */
export function maxVersion(): ApiVersion {
  return MAX;
}

/** Formats a version as `1.x`. */
export function formatVersion(version: ApiVersion): string {
  return `${version.major}.${version.minor}`;
}

/**
 * The version a request asks for: none means the minimum; `latest` the maximum. Anything malformed or
 * outside [min, max] is refused with 406, as Ironic does.
 */
export function negotiateVersion(header: string | undefined): ApiVersion {
  if (header === undefined || header.trim() === '') return MIN;
  if (header.trim().toLowerCase() === 'latest') return MAX;
  const version = parse(header);
  if (!version)
    throw new ApiError('not-acceptable', 'Invalid value for X-OpenStack-Ironic-API-Version header');
  if (version.major !== MAX.major) {
    throw new ApiError(
      'not-acceptable',
      `Mutually exclusive versions requested. Version ${formatVersion(version)} requested but not supported by this service. The supported version range is: [${MIN_API_VERSION}, ${MAX_API_VERSION}].`,
    );
  }
  const tooLow = version.major < MIN.major || (version.major === MIN.major && version.minor < MIN.minor);
  const tooHigh = version.major > MAX.major || (version.major === MAX.major && version.minor > MAX.minor);
  if (tooLow || tooHigh) {
    throw new ApiError(
      'not-acceptable',
      `Version ${formatVersion(version)} was requested but the minor version is not supported by this service. The supported version range is: [${MIN_API_VERSION}, ${MAX_API_VERSION}].`,
    );
  }
  return version;
}
