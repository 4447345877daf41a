import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** How to verify a BMC's TLS certificate. */
export interface RedfishTlsOptions {
  /** `false` accepts any certificate (a BMC's self-signed one). Default `true`. */
  readonly rejectUnauthorized?: boolean;
  /** PEM CA certificate(s) to trust instead of the system's. */
  readonly ca?: string | Buffer;
}

/** One BMC as a caller names it. */
export interface RedfishEndpoint {
  /** The service's URL or host, e.g. `https://10.0.0.5` or `10.0.0.5:8443` (`https://` when no scheme). */
  readonly address: string;
  /** User to log in as; without one, requests carry no credentials. */
  readonly username?: string;
  readonly password?: string;
  /** TLS verification for an `https` address. */
  readonly tls?: RedfishTlsOptions;
  /**
   * sushy's `verify`: `true` (the default) checks the certificate against the system's CAs, `false`
   * accepts any, a string is the path of a PEM CA bundle to check it against. Ignored when `tls` is given.
   */
  readonly verify?: boolean | string;
}

/** An endpoint with its address reduced to an origin and a key that tells sessions apart. */
export interface ResolvedEndpoint {
  /** The origin, e.g. `https://10.0.0.5`: requests go there, and the per-BMC bound counts under it. */
  readonly origin: string;
  readonly username: string | undefined;
  readonly password: string;
  readonly tls: RedfishTlsOptions | undefined;
  /** The connection pool this endpoint uses: its origin and TLS settings. */
  readonly poolKey: string;
  /** One session per origin, TLS settings, user and password. */
  readonly sessionKey: string;
}

/** An endpoint that cannot be used: its `address` is not http(s), or its `verify` CA bundle unreadable. */
export class InvalidRedfishEndpoint extends TypeError {
  override readonly name = 'InvalidRedfishEndpoint';
  readonly code = 'INVALID_REDFISH_ENDPOINT';
  constructor(
    /** The field at fault: `address` or `verify`. */
    readonly field: 'address' | 'verify',
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid Redfish ${field} ${JSON.stringify(value)}: ${reason}`);
  }
}

const TRUE_STRINGS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

/**
 * sushy's `verify` from a configuration value, as Ironic reads `redfish_verify_ca`: a boolean, a string
 * that spells one (`"false"`, `"True"`, `"0"`, ...), or the path of a CA bundle. Throws
 * `InvalidRedfishEndpoint` for anything else.
 */
export function parseVerify(value: unknown): boolean | string {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const lowered = value.trim().toLowerCase();
    if (TRUE_STRINGS.has(lowered)) return true;
    if (FALSE_STRINGS.has(lowered)) return false;
    return value;
  }
  throw new InvalidRedfishEndpoint('verify', value, 'expected true, false or the path of a CA bundle');
}

const caBundles = new Map<string, Buffer>();

/** The TLS options of sushy's `verify` (a CA bundle is read once per path). */
function tlsOf(verify: boolean | string | undefined): RedfishTlsOptions | undefined {
  if (verify === undefined || verify === true) return undefined;
  if (verify === false) return { rejectUnauthorized: false };
  let ca = caBundles.get(verify);
  if (!ca) {
    try {
      ca = readFileSync(verify);
    } catch (error) {
      throw new InvalidRedfishEndpoint(
        'verify',
        verify,
        `cannot read the CA bundle: ${(error as Error).message}`,
      );
    }
    caBundles.set(verify, ca);
  }
  return { rejectUnauthorized: true, ca };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The origin of a Redfish address (`https://` is assumed without a scheme); throws `InvalidRedfishEndpoint`. */
export function redfishOrigin(address: string): string {
  const trimmed = address.trim();
  let url: URL;
  try {
    url = new URL(SCHEME.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new InvalidRedfishEndpoint('address', address, 'expected an http(s) URL or a host');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidRedfishEndpoint('address', address, 'expected an http(s) URL or a host');
  }
  return url.origin;
}

function digest(...parts: readonly (string | Buffer | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part === undefined ? '\u0000' : part);
    hash.update('\u0001');
  }
  return hash.digest('hex').slice(0, 32);
}

/** Resolves an endpoint; throws `InvalidRedfishEndpoint` for a bad address or CA bundle. */
export function resolveEndpoint(endpoint: RedfishEndpoint): ResolvedEndpoint {
  const origin = redfishOrigin(endpoint.address);
  const tls = origin.startsWith('https:') ? (endpoint.tls ?? tlsOf(endpoint.verify)) : undefined;
  const tlsKey = tls ? digest(String(tls.rejectUnauthorized ?? true), tls.ca) : 'default';
  const username = endpoint.username === '' ? undefined : endpoint.username;
  const password = endpoint.password ?? '';
  const poolKey = `${origin}|${tlsKey}`;
  // The password is hashed into the key (as Ironic's session cache does), never kept in it.
  return {
    origin,
    username,
    password,
    tls,
    poolKey,
    sessionKey: `${poolKey}|${digest(username, password, origin)}`,
  };
}
