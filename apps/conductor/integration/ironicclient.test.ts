import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConductorServer, startConductorServer } from './support/conductor-server.js';
import { findPeers, peersAvailable } from './support/peers.js';
import { type ReferenceIronic, startReferenceIronic } from './support/reference-ironic.js';
import { CLIENTS_DIR, run } from './support/run-python.js';

interface Outcome {
  op: string;
  ok: boolean;
  result?: unknown;
  error?: { status: number | null; class: string; message: string };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** An outcome with what differs by nature between two servers (UUIDs) taken out. */
function comparable(outcome: Outcome): unknown {
  return JSON.parse(JSON.stringify(outcome).replace(UUID, '<uuid>'));
}

/**
 * Where this conductor answers differently from Ironic 21.4 on purpose (the conductor's README,
 * "Differences from Ironic"): the outcome ours must have instead.
 */
const DIFFERENCES: Readonly<Record<string, (ours: Outcome, theirs: Outcome) => void>> = {
  // Ironic 21.4 fails its own /v1/nodes/{id}/ports ("Portgroup None could not be found.").
  'node ports': (ours, theirs) => {
    expect(theirs.error?.message).toBe('Portgroup None could not be found.');
    expect(ours).toMatchObject({ ok: true, result: ['52:54:00:00:00:01'] });
  },
  // Ironic appends jsonschema's whole report to the first line, which is the same.
  'node clean bad interface': (ours, theirs) => {
    expect(ours.error?.status).toBe(400);
    expect(theirs.error?.message.split('\n')[0]).toBe(ours.error?.message);
  },
};

const enabled = peersAvailable('ironicclient contract', { ironicclient: true, ironic: true });

describe.skipIf(!enabled)('python-ironicclient against this conductor and against Ironic 21.4', () => {
  let ironic: ReferenceIronic;
  let conductor: ConductorServer;
  const outcomes: { ours: Outcome[]; theirs: Outcome[] } = { ours: [], theirs: [] };

  beforeAll(async () => {
    const python = findPeers().python as string;
    [ironic, conductor] = await Promise.all([startReferenceIronic(python), startConductorServer()]);
    const script = join(CLIENTS_DIR, 'ironicclient_ops.py');
    // The same operations, with the same names, on both: one after the other (Ironic is slow to answer
    // while it starts its periodic tasks).
    outcomes.theirs = JSON.parse(await run(python, [script, ironic.url, 'ic00']));
    outcomes.ours = JSON.parse(await run(python, [script, conductor.url, 'ic00']));
  });

  afterAll(async () => {
    await Promise.all([ironic?.stop(), conductor?.stop()]);
  });

  it('runs the same everyday operations on both', () => {
    expect(outcomes.ours.map((outcome) => outcome.op)).toEqual(outcomes.theirs.map((outcome) => outcome.op));
    expect(outcomes.ours.length).toBeGreaterThanOrEqual(60);
    // Real Ironic passes them all, bar the errors the operations provoke on purpose.
    const provoked = outcomes.theirs.filter((outcome) => !outcome.ok).map((outcome) => outcome.op);
    expect(
      provoked.every((op) =>
        /unknown|duplicate|bad|invalid|missing|internal|active|from enroll|node ports|vendor call sync/.test(
          op,
        ),
      ),
    ).toBe(true);
  });

  it('answers every operation as Ironic does, or as its README says it differs', () => {
    const mismatches: string[] = [];
    outcomes.ours.forEach((ours, index) => {
      const theirs = outcomes.theirs[index] as Outcome;
      const difference = DIFFERENCES[ours.op];
      if (difference) {
        difference(ours, theirs);
        return;
      }
      const [a, b] = [comparable(ours), comparable(theirs)];
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        mismatches.push(`${ours.op}:\n  ours:   ${JSON.stringify(a)}\n  Ironic: ${JSON.stringify(b)}`);
      }
    });
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });
});
