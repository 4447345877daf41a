import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/ironic-conductor.js', import.meta.url));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('ironic-conductor usage', () => {
  it('lists its commands with --help', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['db upgrade', 'db version', 'healthcheck']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('CONFIGURATION.md');
  });

  it('refuses an unknown command or option with exit code 2, naming it', async () => {
    const command = await cli('db', 'downgrade');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^ironic-conductor: unknown command "db downgrade"/);
    const option = await cli('--colour');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("'--colour'");
  });

  it('names the file and the field of a bad configuration, with exit code 1', async () => {
    const missing = await cli('db', 'version', '--config', '/nonexistent/conductor.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/conductor.json');
  });
});
