import fs from 'node:fs';

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Pids of the live children of `parentPid` whose command line contains `match` (Linux /proc): the
 * processes a library started on a test's behalf, which the test cannot reach otherwise.
 */
export function childProcesses(parentPid: number, match: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (!fields || fields[0] === 'Z' || Number(fields[1]) !== parentPid) continue;
    let command: string;
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (command.includes(match)) pids.push(pid);
  }
  return pids;
}

/** Whether `pid` has ended; a zombie (ended, not yet reaped by its parent) counts as ended. */
export function processEnded(pid: number): boolean {
  const fields = statFields(pid);
  return fields === null || fields[0] === 'Z';
}

/** Waits until every pid has ended; fails naming those still running after `timeoutMs`. */
export async function untilProcessesEnd(pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = pids.filter((pid) => !processEnded(pid));
    if (running.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes ${running.join(', ')} still run after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
