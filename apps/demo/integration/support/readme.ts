import { join } from 'node:path';
import { REPO } from './shell.js';

/** The root README, which these suites follow as written. */
export const README = join(REPO, 'README.md');

/** The first fenced block of `lang` after `heading` in the README; throws when the heading is gone. */
export function blockAfter(readme: string, heading: string, lang: string): string {
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`the README has no "${heading}" any more`);
  const start = readme.indexOf(`\`\`\`${lang}\n`, at) + lang.length + 4;
  return readme.slice(start, readme.indexOf('\n```\n', start));
}
