// The README shows the driver-author example and the demo's configuration: this keeps what it shows
// identical to the files the other tests build, run and start the conductor with.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const README = new URL('../../../README.md', import.meta.url);
const EXAMPLE = new URL('../examples/hello-driver/', import.meta.url);

/** The first fenced block of `lang` after `heading` in the README. */
function blockAfter(readme: string, heading: string, lang: string): string {
  const at = readme.indexOf(heading);
  expect(at, `README heading ${heading}`).toBeGreaterThanOrEqual(0);
  const start = readme.indexOf(`\`\`\`${lang}\n`, at) + lang.length + 4;
  return readme.slice(start, readme.indexOf('\n```\n', start));
}

/** A source file without its leading comment (which says where the README shows it). */
function withoutHeader(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[0]!.startsWith('//') || lines[0]!.trim() === '')) lines.shift();
  return lines.join('\n').trimEnd();
}

describe('the README', () => {
  it("shows the driver example's source as it is", async () => {
    const readme = await readFile(README, 'utf8');
    const source = await readFile(new URL('src/index.ts', EXAMPLE), 'utf8');
    expect(blockAfter(readme, '### The driver: `src/index.ts`', 'ts')).toBe(withoutHeader(source));
  });

  it("shows the driver example's tests as they are", async () => {
    const readme = await readFile(README, 'utf8');
    const test = await readFile(new URL('test/hello-driver.test.ts', EXAMPLE), 'utf8');
    expect(blockAfter(readme, '### Testing it with the testing kit', 'ts')).toBe(withoutHeader(test));
  });

  it("shows the example's package.json fields as they are", async () => {
    const readme = await readFile(README, 'utf8');
    const shown = JSON.parse(blockAfter(readme, '### The package', 'json')) as Record<string, unknown>;
    const actual = JSON.parse(await readFile(new URL('package.json', EXAMPLE), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const [field, value] of Object.entries(shown)) expect(actual[field], field).toEqual(value);
  });

  it("shows the example's tsconfig.json and vitest.config.ts as they are", async () => {
    const readme = await readFile(README, 'utf8');
    const tsconfig = await readFile(new URL('tsconfig.json', EXAMPLE), 'utf8');
    expect(JSON.parse(blockAfter(readme, '`tsconfig.json`:', 'json'))).toEqual(JSON.parse(tsconfig));
    const vitest = await readFile(new URL('vitest.config.ts', EXAMPLE), 'utf8');
    expect(blockAfter(readme, '`vitest.config.ts`:', 'ts')).toBe(vitest.trimEnd());
  });

  it('shows the configuration the demo runs the conductor with', async () => {
    const readme = await readFile(README, 'utf8');
    const file = await readFile(new URL('../config/conductor.json', import.meta.url), 'utf8');
    expect(JSON.parse(blockAfter(readme, '### Configuration', 'json'))).toEqual(JSON.parse(file));
  });
});
