// The demo's whole flow at small scale: the real ironic-conductor process (spawned by the demo with the
// demo's configuration, ports and data directory overridden), simulators, and 10 nodes over HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_MESSAGES } from '../src/fleet-plan.js';
import { API_VERSION } from '../src/ironic-client.js';
import { type DemoResult, runDemo } from '../src/run-demo.js';
import { CollectingOutput } from './support/collecting-output.js';

interface NodeDetail {
  name: string;
  driver: string;
  provision_state: string;
  last_error: string | null;
  properties: Record<string, unknown>;
  raid_config: { logical_disks?: { raid_level: string; is_root_volume?: boolean }[] };
  driver_internal_info: Record<string, unknown>;
}

describe('the demo, 10 nodes, through the spawned conductor', () => {
  let workDir: string;
  let url: string;
  const out = new CollectingOutput();
  const stop = new AbortController();
  let running: Promise<DemoResult>;
  let nodes: Map<string, NodeDetail>;
  let tasks: { name: string; runs: number; failures: number; sweep?: { handled: number } }[];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'ironic-demo-e2e-'));
    running = runDemo({
      nodes: 10,
      apiPort: 0, // the conductor takes a port of the OS's choosing: no other process can take it first
      discoverdPort: 0,
      dataDir: join(workDir, 'db'),
      workDir,
      keepRunning: true,
      signal: stop.signal,
      out,
      view: 'plain',
      phaseTimeoutMs: 120_000,
    });
    // The demo holds the conductor up after its summary: read its state independently meanwhile.
    await Promise.race([out.until('keeps running'), running.then(() => Promise.reject(new Error(out.text)))]);
    url = /keeps running at (http:\/\/\S+) /.exec(out.text)?.[1] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = { 'X-OpenStack-Ironic-API-Version': API_VERSION };
    const detail = (await (await fetch(`${url}/v1/nodes/detail`, { headers })).json()) as {
      nodes: NodeDetail[];
    };
    nodes = new Map(detail.nodes.map((node) => [node.name, node]));
    tasks = ((await (await fetch(`${url}/v1/periodic-tasks`)).json()) as { periodic_tasks: typeof tasks })
      .periodic_tasks;
  });

  afterAll(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('ends every node where it should, as the conductor itself reports', () => {
    const states = Object.fromEntries([...nodes].map(([name, node]) => [name, node.provision_state]));
    expect(states).toEqual({
      'drac-001': 'available',
      'drac-002': 'clean failed',
      'drac-003': 'available',
      'drac-004': 'available',
      'discoverd-001': 'available',
      'discoverd-002': 'inspect failed',
      'discoverd-003': 'available',
      'ipa-001': 'active',
      'ipa-002': 'deploy failed',
      'ipa-003': 'active',
    });
  });

  it('fails the told nodes with the message their simulator gave', () => {
    expect(nodes.get('drac-002')?.last_error).toMatch(/^RAID configuration job \S+ failed: /);
    expect(nodes.get('drac-002')?.last_error).toContain(FAILURE_MESSAGES.drac);
    expect(nodes.get('discoverd-002')?.last_error).toBe(
      `discoverd inspection failed: ${FAILURE_MESSAGES.discoverd}`,
    );
    expect(nodes.get('ipa-002')?.last_error).toContain(FAILURE_MESSAGES.ipa);
  });

  it('did the work of each phase on the hardware', () => {
    const drac = nodes.get('drac-001')!;
    expect(drac.raid_config.logical_disks).toEqual([
      expect.objectContaining({ raid_level: '1', is_root_volume: true }),
    ]);
    expect(drac.properties.local_gb).toBeGreaterThan(0);
    expect(nodes.get('discoverd-001')?.properties).toMatchObject({ cpus: 32, memory_mb: 262_144 });
    expect(nodes.get('ipa-001')?.last_error).toBeNull();
  });

  it("ran the drivers' periodic tasks, each handling nodes", () => {
    const byName = new Map(tasks.map((task) => [task.name, task]));
    for (const name of ['DiscoverdInspect.checkInspectStatus', 'DracRAID.checkRaidConfigJobs']) {
      expect(byName.get(name)?.runs).toBeGreaterThan(0);
      expect(byName.get(name)?.sweep?.handled).toBeGreaterThan(0);
    }
    expect(byName.get('AgentDeploy.checkDeployTimeouts')?.runs).toBeGreaterThan(0);
  });

  it('printed a summary that says so, then shut the conductor down on the signal', async () => {
    expect(out.text).toContain('Summary: 10 nodes in');
    expect(out.text).toContain('every node ended where it should');
    stop.abort();
    const result = await running;
    expect(result.summary.ok).toBe(true);
    expect(result.interrupted).toBe(false);
    expect(
      result.flows
        .filter((flow) => flow.failedPhase !== null)
        .map((flow) => `${flow.node.name}:${flow.failedPhase}`)
        .sort(),
    ).toEqual(['discoverd-002:inspect', 'drac-002:clean', 'ipa-002:deploy']);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
