import { spawnSync } from 'node:child_process';

/** A real peer the suite needs, found or not. */
export interface Peer {
  /** The Python interpreter that can import the peer, when one can. */
  readonly python: string | undefined;
  /** Why the suite cannot run: what is missing, in one line. */
  readonly missing: string | undefined;
  /** Whether to skip the suite: the peer is missing and CI is not set (in CI a missing peer fails). */
  readonly skip: boolean;
  /** Throws the missing line (in CI); does nothing when the peer is there. */
  assertPresent(): void;
}

/**
 * Finds a Python interpreter that can import `modules`. Debian's packages install into the system's
 * `/usr/bin/python3`, which a `python3` earlier on PATH (pyenv, a venv) may not see, so both are tried.
 */
export function pythonPeer(modules: readonly string[], packages: string): Peer {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  const probe = modules.map((module) => `import ${module}`).join('; ');
  const python = candidates.find(
    (candidate) => spawnSync(candidate, ['-c', probe], { stdio: 'ignore' }).status === 0,
  );
  return peer(python, python ? undefined : `${packages} not installed (no python3 here can ${probe})`);
}

/** Combines what is missing into one peer. */
export function peer(python: string | undefined, ...missing: (string | undefined)[]): Peer {
  const line = missing.filter(Boolean).join('; ') || undefined;
  const ci = Boolean(process.env.CI);
  if (line && !ci) console.warn(`skipped: ${line}`);
  return {
    python,
    missing: line,
    skip: line !== undefined && !ci,
    assertPresent() {
      if (line) throw new Error(`A real peer is missing: ${line}`);
    },
  };
}
