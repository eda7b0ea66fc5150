import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcesses } from '../support/processes.ts';
import { eventually } from '../support/eventually.ts';
import { startWorkerdEdge } from '../support/workerd-edge.ts';
import { attribute, coresUsed, cpuSnapshot } from './cpu.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A process that starts a child burning CPU and itself stays idle, as wrangler does with workerd. */
async function idleParentOfBusyChild(): Promise<{ parent: ChildProcess; child: number }> {
  const burn = 'for (;;) {}';
  const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(burn)}], { stdio: 'ignore' }); setInterval(() => {}, 1000);`], { stdio: 'ignore' });
  cleanup.push(() => {
    for (const p of readProcesses()) if (p.ppid === parent.pid) process.kill(p.pid, 'SIGKILL');
    parent.kill('SIGKILL');
  });
  const children = await eventually(
    async () => readProcesses().filter((p) => p.ppid === parent.pid),
    (found) => found.length === 1,
  );
  expect(children).toHaveLength(1);
  return { parent, child: children[0]!.pid };
}

describe('cpu: CPU per part of the stack', () => {
  it('counts a part’s whole process tree, its children’s CPU included', async () => {
    const { parent, child } = await idleParentOfBusyChild();
    const parts = { tree: [parent.pid!], bench: [process.pid] };
    expect(attribute(readProcesses(), parts).get(child)).toBe('tree');
    const before = cpuSnapshot(parts);
    const after = await eventually(
      async () => cpuSnapshot(parts),
      (now) => now.parts.tree! - before.parts.tree! >= 0.3,
    );
    expect(after.parts.tree! - before.parts.tree!).toBeGreaterThanOrEqual(0.3);
    const cores = coresUsed(before, after);
    // The burning child keeps about one core busy; this process, which only polls, far less.
    expect(cores.parts.tree!).toBeGreaterThan(cores.parts.bench!);
    expect(cores.text).toMatch(/^tree \d+\.\d\d, bench \d+\.\d\d; rest of machine \d+\.\d\d$/);
  });

  it('gives a child that is a root of its own part to that part, not to its parent’s', async () => {
    const { parent, child } = await idleParentOfBusyChild();
    const owner = attribute(readProcesses(), { outer: [parent.pid!], inner: [child] });
    expect(owner.get(child)).toBe('inner');
    expect(owner.get(parent.pid!)).toBe('outer');
  });

  it('measures the workerd edge by its own workerd process, not by the process that started it', async () => {
    const edge = await startWorkerdEdge({ apiUrl: 'http://127.0.0.1:9' });
    cleanup.push(() => edge.stop());
    expect(edge.pid).not.toBe(process.pid);
    expect(readFileSync(`/proc/${edge.pid}/comm`, 'utf8').trim()).toBe('workerd');
    const parts = { edge: [edge.pid], bench: [process.pid] };
    const before = cpuSnapshot(parts);
    // Unsigned posts: workerd reads and refuses each one, which is work in workerd alone.
    const after = await eventually(
      async () => {
        await Promise.all(Array.from({ length: 50 }, () => fetch(`${edge.url}/webhooks/whatsapp`, { method: 'POST', body: '{}' }).then((r) => r.arrayBuffer())));
        return cpuSnapshot(parts);
      },
      (now) => now.parts.edge! - before.parts.edge! >= 0.05,
      { timeoutMs: 30_000 },
    );
    expect(after.parts.edge! - before.parts.edge!).toBeGreaterThanOrEqual(0.05);
  });
});
