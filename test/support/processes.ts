// The processes on this machine as Linux's /proc shows them: parent, name and CPU time so far. The
// benchmarks attribute CPU by process tree with it, and find the workerd Miniflare starts.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second on every common build. */
export const TICKS_PER_SECOND = 100;

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The executable's name, as `ps -o comm` shows it (15 characters at most). */
  comm: string;
  /** CPU time used by every thread of the process (user + system), in ticks; not its children's. */
  ticks: number;
}

export function readProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    // `comm` is in parentheses and may itself hold spaces or parentheses; the fields follow the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    out.push({ pid: Number(entry), ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return out;
}

/** Children of `pid` named `comm`, now. */
export function childrenNamed(pid: number, comm: string): number[] {
  return readProcesses()
    .filter((p) => p.ppid === pid && p.comm === comm)
    .map((p) => p.pid);
}

/** CPU time the whole machine has spent busy (every core, anyone's processes), in ticks, from /proc/stat. */
export function machineBusyTicks(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}
