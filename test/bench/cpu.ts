// CPU time per part of the stack, read from /proc, so a figure can be explained by where the cores went.
// Each part is named by its root processes and counts their whole trees: the api with anything it
// spawns, Postgres's postmaster with every backend, wrangler with its workerd runtimes, the workerd
// Miniflare runs (a child of this process, yet not this process's work). A process belongs to the
// part of its nearest ancestor that is a root, so the load generator (this process, an ancestor of
// nearly everything) counts only itself. What no part accounts for is the rest of the machine: other
// people's work on a shared machine, and our processes that ended between two snapshots.
import { machineBusyTicks, readProcesses, TICKS_PER_SECOND, type ProcessInfo } from '../support/processes.ts';

/** Part name → the pids at the roots of its process trees. */
export type Parts = Record<string, readonly number[]>;

export interface CpuSnapshot {
  at: number;
  /** CPU seconds so far per part (of processes alive now). */
  parts: Record<string, number>;
  /** CPU seconds the whole machine has been busy, all cores, anyone's processes. */
  machine: number;
}

/** Which part each process belongs to: that of its nearest ancestor (or itself) that is a root. */
export function attribute(procs: readonly ProcessInfo[], parts: Parts): Map<number, string> {
  const roots = new Map<number, string>();
  for (const [name, pids] of Object.entries(parts)) for (const pid of pids) roots.set(pid, name);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const owner = new Map<number, string>();
  for (const p of procs) {
    const chain: number[] = [];
    let at: ProcessInfo | undefined = p;
    let found: string | undefined;
    while (at && !found) {
      found = roots.get(at.pid) ?? (owner.has(at.pid) ? owner.get(at.pid) : undefined);
      if (found || chain.includes(at.pid)) break;
      chain.push(at.pid);
      at = at.ppid > 0 ? byPid.get(at.ppid) : undefined;
    }
    if (found) for (const pid of [p.pid, ...chain]) owner.set(pid, found);
  }
  return owner;
}

export function cpuSnapshot(parts: Parts): CpuSnapshot {
  const machine = machineBusyTicks();
  const procs = readProcesses();
  const owner = attribute(procs, parts);
  const ticks: Record<string, number> = Object.fromEntries(Object.keys(parts).map((name) => [name, 0]));
  for (const p of procs) {
    const part = owner.get(p.pid);
    if (part !== undefined) ticks[part]! += p.ticks;
  }
  return {
    at: performance.now(),
    parts: Object.fromEntries(Object.entries(ticks).map(([name, t]) => [name, t / TICKS_PER_SECOND])),
    machine: machine / TICKS_PER_SECOND,
  };
}

export interface CoresUsed {
  /** Cores each part kept busy on average between the snapshots. */
  parts: Record<string, number>;
  /** Cores busy on the machine for anything the parts do not account for. */
  rest: number;
  text: string;
}

/** Cores used per part between two snapshots, and by the rest of the machine. */
export function coresUsed(before: CpuSnapshot, after: CpuSnapshot): CoresUsed {
  const seconds = (after.at - before.at) / 1000;
  const parts = Object.fromEntries(Object.keys(after.parts).map((name) => [name, Math.max(0, (after.parts[name]! - (before.parts[name] ?? 0)) / seconds)]));
  const ours = Object.values(parts).reduce((sum, n) => sum + n, 0);
  const rest = Math.max(0, (after.machine - before.machine) / seconds - ours);
  const text = `${Object.entries(parts)
    .map(([name, n]) => `${name} ${n.toFixed(2)}`)
    .join(', ')}; rest of machine ${rest.toFixed(2)}`;
  return { parts, rest, text };
}
