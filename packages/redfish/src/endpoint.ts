import { createHash } from 'node:crypto';

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

/** The address is not an http(s) URL. */
export class InvalidRedfishAddress extends TypeError {
  override readonly name = 'InvalidRedfishAddress';
  readonly code = 'INVALID_REDFISH_ADDRESS';
  constructor(readonly address: string) {
    super(`Invalid Redfish address ${JSON.stringify(address)}: expected an http(s) URL or a host`);
  }
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The origin of a Redfish address (`https://` is assumed without a scheme). */
export function redfishOrigin(address: string): string {
  const trimmed = address.trim();
  let url: URL;
  try {
    url = new URL(SCHEME.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new InvalidRedfishAddress(address);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidRedfishAddress(address);
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

/** Resolves an endpoint; throws `InvalidRedfishAddress` for an address that is not http(s). */
export function resolveEndpoint(endpoint: RedfishEndpoint): ResolvedEndpoint {
  const origin = redfishOrigin(endpoint.address);
  const tls = origin.startsWith('https:') ? endpoint.tls : undefined;
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
