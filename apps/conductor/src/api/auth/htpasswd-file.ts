import { readFile, stat } from 'node:fs/promises';

/** A bcrypt prefix ironic-lib accepts; Apache's MD5, SHA-1 and crypt() entries are refused. */
const BCRYPT_PREFIXES = ['$2y$', '$2a$', '$2b$'];

/** An htpasswd file ironic-lib would refuse: unreadable, or an entry that is not bcrypt. */
export class HtpasswdFileInvalid extends Error {
  override readonly name = 'HtpasswdFileInvalid';
  readonly code = 'HTPASSWD_FILE_INVALID';
  constructor(
    readonly file: string,
    /** ironic-lib's wording, without the file (what an API client may be told). */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** One `user:hash` line. */
export interface HtpasswdEntry {
  readonly username: string;
  readonly hash: string;
}

/**
 * Parses an Apache htpasswd file as ironic-lib's `validate_auth_file` and `authenticate` read it: lines
 * are stripped, those without `:` are ignored, the first line for a user wins, and every entry must be
 * bcrypt.
 */
export function parseHtpasswd(file: string, text: string): Map<string, HtpasswdEntry> {
  const entries = new Map<string, HtpasswdEntry>();
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (!entry.includes(':')) continue;
    const colon = entry.indexOf(':');
    const username = entry.slice(0, colon);
    const hash = entry.slice(colon + 1);
    if (!BCRYPT_PREFIXES.includes(hash.slice(0, 4))) {
      throw new HtpasswdFileInvalid(file, `Only bcrypt digested passwords are supported for ${username}`);
    }
    if (!entries.has(username)) entries.set(username, { username, hash });
  }
  return entries;
}

/**
 * The user file of `http_basic`, re-read whenever it changes on disk (ironic-lib reads it on every
 * request, so operators add users without a restart); an unchanged file costs one `stat`.
 */
export class HtpasswdFile {
  private entries = new Map<string, HtpasswdEntry>();
  private version = '';

  private constructor(readonly path: string) {}

  /** Reads and checks the file now; rejects with `HtpasswdFileInvalid` (a start must not go on). */
  static async open(path: string): Promise<HtpasswdFile> {
    const file = new HtpasswdFile(path);
    await file.refresh();
    return file;
  }

  /** The entry of `username`, from the file as it is now; rejects with `HtpasswdFileInvalid`. */
  async lookup(username: string): Promise<HtpasswdEntry | undefined> {
    await this.refresh();
    return this.entries.get(username);
  }

  private async refresh(): Promise<void> {
    let version: string;
    let text: string;
    try {
      const info = await stat(this.path);
      version = `${info.ino}:${info.size}:${info.mtimeMs}`;
      if (version === this.version) return;
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new HtpasswdFileInvalid(this.path, 'Problem reading auth user file', { cause: error });
    }
    this.entries = parseHtpasswd(this.path, text);
    this.version = version;
  }
}
