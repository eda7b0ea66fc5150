// CPU time per part of the stack, read from /proc, so a figure can be explained by where the cores went.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readProcs(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function descendants(procs: Proc[], root: number): Set<number> {
  const set = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (!set.has(p.pid) && set.has(p.ppid)) (set.add(p.pid), (grew = true));
  }
  return set;
}

export type CpuGroups = Record<string, number>;

/** Seconds of CPU so far per group: Postgres, the api, the edge (wrangler + workerd), the Meta sandbox, this load generator. */
export function cpuSnapshot({ apiPids, edgePid, sandboxPid }: { apiPids: number[]; edgePid: number; sandboxPid?: number }): CpuGroups {
  const procs = readProcs();
  const edge = descendants(procs, edgePid);
  const groups: CpuGroups = { postgres: 0, api: 0, edge: 0, ...(sandboxPid ? { sandbox: 0 } : {}), loadgen: 0 };
  for (const p of procs) {
    if (p.comm === 'postgres') groups.postgres! += p.ticks;
    else if (apiPids.includes(p.pid)) groups.api! += p.ticks;
    else if (p.pid === sandboxPid) groups.sandbox! += p.ticks;
    else if (p.pid === process.pid) groups.loadgen! += p.ticks;
    else if (edge.has(p.pid)) groups.edge! += p.ticks;
  }
  for (const k of Object.keys(groups)) groups[k] = groups[k]! / TICKS_PER_SECOND;
  return groups;
}

/** Cores used per group between two snapshots taken `seconds` apart. */
export function coresUsed(before: CpuGroups, after: CpuGroups, seconds: number): string {
  return Object.keys(after)
    .map((k) => `${k} ${((after[k]! - (before[k] ?? 0)) / seconds).toFixed(2)}`)
    .join(', ');
}
