import type { FastifyInstance } from 'fastify';
import { AuthRefused, parseBasicAuthorization } from './basic-credentials.js';
import { BcryptVerifier } from './bcrypt-worker.js';
import { HtpasswdFile, HtpasswdFileInvalid } from './htpasswd-file.js';
import { isPublicPath } from './public-routes.js';

/** What ironic-lib's `Unauthorized` sends, so clients prompt for (or retry with) credentials. */
export const WWW_AUTHENTICATE = 'Basic realm="Baremetal API"';

/**
 * `auth_strategy: http_basic`, as ironic-lib's `BasicAuthMiddleware`: users and bcrypt hashes from an
 * Apache htpasswd file, checked on every request but Ironic's public routes.
 */
export class HttpBasicAuth {
  private constructor(
    private readonly file: HtpasswdFile,
    private readonly verifier: BcryptVerifier,
  ) {}

  /** Reads and checks the user file now (as Ironic does at start); rejects with `HtpasswdFileInvalid`. */
  static async open(userFile: string): Promise<HttpBasicAuth> {
    return new HttpBasicAuth(await HtpasswdFile.open(userFile), new BcryptVerifier());
  }

  /** The user file's path. */
  get userFile(): string {
    return this.file.path;
  }

  /**
   * The user an `Authorization` header names, once its password matched; rejects with `AuthRefused`
   * (400 or 401 with ironic-lib's message), or `HtpasswdFileInvalid` when the file went bad.
   */
  async authenticate(header: string | undefined): Promise<string> {
    const credentials = parseBasicAuthorization(header);
    const entry = await this.file.lookup(credentials.username);
    const ok =
      entry !== undefined &&
      (await this.verifier.verify(credentials.username, credentials.password, entry.hash));
    if (!ok) throw new AuthRefused(401, 'Incorrect username or password');
    return credentials.username;
  }

  /** Stops the bcrypt worker thread. */
  close(): Promise<void> {
    return this.verifier.close();
  }
}

/** ironic-lib's error body: `{"error": {"message", "code"}}` (not the API's `error_message`). */
function authErrorBody(code: number, message: string) {
  return { error: { message, code } };
}

/**
 * Checks credentials before anything else runs (before version negotiation, as Ironic's middleware sits
 * outside its API), except on the public routes. Call before the other hooks are added.
 */
export function installHttpBasicAuth(app: FastifyInstance, auth: HttpBasicAuth): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isPublicPath(request.url.split('?')[0] ?? '/')) return;
    try {
      const user = await auth.authenticate(request.headers.authorization);
      request.log = request.log.child({ user });
    } catch (error) {
      if (error instanceof AuthRefused) {
        request.log.info({ reason: error.message }, 'request refused: authentication');
        if (error.statusCode === 401) reply.header('WWW-Authenticate', WWW_AUTHENTICATE);
        return reply
          .code(error.statusCode)
          .type('application/json')
          .send(authErrorBody(error.statusCode, error.message));
      }
      if (error instanceof HtpasswdFileInvalid) {
        request.log.error({ err: error }, 'the http_basic user file cannot be used');
        return reply
          .code(500)
          .type('application/json')
          .send(authErrorBody(500, `Invalid configuration file. ${error.reason}`));
      }
      throw error;
    }
  });
  app.addHook('onClose', async () => auth.close());
}
