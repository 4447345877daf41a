/** What a URL's password is shown as (Ironic shows `*_password` values as `******`). */
export const MASKED_URL_PASSWORD = '***';

// `scheme://user:password@`: the user is kept, the password replaced up to the last `@` before a
// space or quote — people write `@` and `/` unescaped in passwords, and showing too little beats
// leaking the rest of one. Quotes and backslashes end a match, so URLs inside JSON text are found too.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@"'\\]*):([^\s"'\\]+)@/gi;

/**
 * `text` with the password of every URL in it masked: `http://root:secret@host` becomes
 * `http://root:***@host`. Text without such a URL comes back as it was.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1$2:${MASKED_URL_PASSWORD}@`);
}
