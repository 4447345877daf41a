/** Why a request's credentials were refused: ironic-lib's `BadRequest` (400) or `Unauthorized` (401). */
export class AuthRefused extends Error {
  override readonly name = 'AuthRefused';
  readonly code = 'API_AUTH_REFUSED';
  constructor(
    readonly statusCode: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

/** Credentials from an `Authorization: Basic ...` header. */
export interface BasicCredentials {
  readonly username: string;
  /** Raw bytes, as ironic-lib compares them. */
  readonly password: Buffer;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads the `Authorization` header as ironic-lib's `parse_header` and `parse_token` do, with their
 * messages: none is 401 "Authorization required"; a malformed one, another type or an undecodable token
 * is 400.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials {
  if (header === undefined) throw new AuthRefused(401, 'Authorization required');
  const parts = header.trim().split(/\s+/);
  if (parts.length < 2) throw new AuthRefused(400, 'Could not parse Authorization header');
  const [type] = parts;
  const token = header.trim().slice(type!.length).trim();
  if (type!.toLowerCase() !== 'basic') throw new AuthRefused(400, `Unsupported authorization type "${type}"`);
  // Python's b64decode(validate=True): only the alphabet, correctly padded.
  if (!STRICT_BASE64.test(token)) throw new AuthRefused(400, 'Could not decode authorization token');
  const pair = Buffer.from(token, 'base64');
  const colon = pair.indexOf(0x3a);
  if (colon < 0) throw new AuthRefused(400, 'Could not decode authorization token');
  const userBytes = pair.subarray(0, colon);
  let username: string;
  try {
    username = new TextDecoder('utf-8', { fatal: true }).decode(userBytes);
  } catch {
    throw new AuthRefused(400, 'Could not decode authorization token');
  }
  return { username, password: pair.subarray(colon + 1) };
}
