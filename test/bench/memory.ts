import { readFile } from 'node:fs/promises';

/**
 * A process's memory from /proc, in a module of its own so a bench's small child processes
 * (index-load.ts) read it without loading the harness's database and stack code.
 */
export interface Memory {
  rssMb: number;
  peakMb: number;
}

/** Resident and peak resident memory of a process, in MiB (Linux /proc). */
export async function memoryOf(pid: number | undefined): Promise<Memory> {
  if (pid === undefined) return { rssMb: Number.NaN, peakMb: Number.NaN };
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kib('VmRSS') / 1024), peakMb: Math.round(kib('VmHWM') / 1024) };
}
