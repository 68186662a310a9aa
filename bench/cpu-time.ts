// CPU seconds by process and thread, read from Linux's /proc, so the benchmark can say where a phase's time went:
// the server's main thread, its intake threads, V8's background threads (GC, compiling), the embedded PostgreSQL's
// processes (children of the server) and the sender. On two cores the phase's wall time is at least its CPU over
// two; the split says which part to cut. Linux only; elsewhere every figure reads 0.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // the process or thread has exited
  }
}

/** The fields of a /proc stat line after the command's closing parenthesis (the command may hold spaces). */
function statFields(file: string): string[] | null {
  const line = readOrNull(file);
  return line === null ? null : line.slice(line.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime (own) and cutime + cstime (children it has reaped), in seconds; fields 14–17 of proc(5). */
function cpuOf(file: string): { own: number; reaped: number } {
  const f = statFields(file);
  if (!f) return { own: 0, reaped: 0 };
  return { own: (Number(f[11]) + Number(f[12])) / ticksPerSecond, reaped: (Number(f[13]) + Number(f[14])) / ticksPerSecond };
}

/** The live descendants of `pid` (not `pid` itself). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(`/proc/${entry}/stat`)?.[1]);
    if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

export interface ServerCpu {
  main: number;
  intake: number;
  /** V8's platform threads (GC and compiling for every thread's heap) and libuv's pool. */
  background: number;
  /** The server's child processes (the embedded PostgreSQL), with the ones they have reaped (finished backends). */
  database: number;
}

/** CPU seconds so far of the server process `pid`, by thread kind, and of its children. */
export function serverCpu(pid: number): ServerCpu {
  const cpu: ServerCpu = { main: 0, intake: 0, background: 0, database: 0 };
  if (process.platform !== 'linux') return cpu;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return cpu; // the server has exited
  }
  for (const tid of tasks) {
    const name = readOrNull(`/proc/${pid}/task/${tid}/comm`)?.trim();
    if (name === undefined) continue; // the thread has ended
    const { own } = cpuOf(`/proc/${pid}/task/${tid}/stat`);
    if (name === 'MainThread' || tid === String(pid)) cpu.main += own;
    else if (name === 'WorkerThread') cpu.intake += own;
    else cpu.background += own;
  }
  for (const child of descendants(pid)) {
    const { own, reaped } = cpuOf(`/proc/${child}/stat`);
    cpu.database += own + reaped;
  }
  return cpu;
}

/** CPU seconds of the children this process has waited for (a finished execFile's process is counted here). */
export const reapedChildrenCpu = (): number => (process.platform === 'linux' ? cpuOf('/proc/self/stat').reaped : 0);

export const cpuBetween = (a: ServerCpu, b: ServerCpu): ServerCpu => ({
  main: b.main - a.main,
  intake: b.intake - a.intake,
  background: b.background - a.background,
  database: b.database - a.database,
});
