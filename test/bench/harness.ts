import { cleanUpOnSignal as cleanUpOnSignalAs } from '../../scripts/clean-up-on-signal';
import { commonEnv, formatColumns, loadConfig } from '@serendip/config';
import { DATABASE_OWNERS, dropDatabase } from '@serendip/db';
import { dropRedisKeys, testSecrets } from '@serendip/testing';
import { randomBytes } from 'node:crypto';
import { dbSetupConfigSchema, type DbSetupConfig } from '../../scripts/db-setup';
import { stackEnv, stackProcesses, type StackPorts } from '../../scripts/stack';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { adminRolesEnv, type AdminRolesSettings } from '../../subgraphs/user/src';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

export { memoryOf, type Memory } from './memory';

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile `p` (0–100) of sorted values; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** The nearest-rank median of values in any order (of rounds, of per-round ratios). */
export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * Closed-loop load: `concurrency` callers each run `task` back to back for `seconds`, after a
 * warm-up that is not counted. The same loop drives every side of a comparison. Each call is told
 * its caller (0 … concurrency − 1), so a caller can play one client with a state of its own.
 */
export async function runLoad(
  name: string,
  task: (caller: number) => Promise<boolean>,
  options: { concurrency: number; seconds: number; warmupSeconds: number },
): Promise<LoadResult> {
  const loop = async (caller: number, until: number, record: boolean, latencies: number[], failures: { count: number }) => {
    while (performance.now() < until) {
      const started = performance.now();
      let ok: boolean;
      try {
        ok = await task(caller);
      } catch {
        ok = false;
      }
      if (!record) continue;
      latencies.push(performance.now() - started);
      if (!ok) failures.count += 1;
    }
  };
  const warmUntil = performance.now() + options.warmupSeconds * 1000;
  await Promise.all(Array.from({ length: options.concurrency }, (_, caller) => loop(caller, warmUntil, false, [], { count: 0 })));
  const latencies: number[] = [];
  const failures = { count: 0 };
  const started = performance.now();
  const until = started + options.seconds * 1000;
  await Promise.all(Array.from({ length: options.concurrency }, (_, caller) => loop(caller, until, true, latencies, failures)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors: failures.count,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export function printTable(rows: LoadResult[]): void {
  printColumns(
    ['case', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms'],
    rows.map((row) => [row.name, String(row.requests), String(row.errors), row.perSecond.toFixed(1), row.p50Ms.toFixed(2), row.p99Ms.toFixed(2)]),
  );
}

/** A table on stdout, as every CLI here prints one (formatColumns). */
export function printColumns(header: readonly string[], lines: readonly (readonly string[])[]): void {
  console.log(formatColumns(header, lines));
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Calls `fire(i)` at `perSecond` on a fixed schedule (not after the previous call), until `count` calls or `stopped()`. */
export async function atRate(perSecond: number, count: number, fire: (i: number) => void, stopped: () => boolean = () => false): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count && !stopped(); i += 1) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (!stopped()) fire(i);
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times; 100 on every common architecture. */
const CLOCK_TICKS_PER_S = 100;

/** CPU seconds a process has used so far (user + system, from /proc); null where it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

/**
 * The database and Redis servers the stack uses (shared with whatever else runs here), found by
 * process name in /proc, so that the CPU left over is other work on the machine.
 */
export function serverPids(): [string, number][] {
  const names: Record<string, string> = { mariadbd: 'mariadb', mysqld: 'mysql', 'redis-server': 'redis' };
  try {
    return readdirSync('/proc').flatMap((entry): [string, number][] => {
      if (!/^\d+$/.test(entry)) return [];
      try {
        const name = names[readFileSync(`/proc/${entry}/comm`, 'utf8').trim()];
        return name ? [[name, Number(entry)]] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** Busy CPU seconds of the whole machine, all cores together. */
export function machineCpuSeconds(): number {
  return cpus().reduce((sum, { times }) => sum + (times.user + times.nice + times.sys + times.irq) / 1000, 0);
}

/**
 * Starts counting CPU time of the machine, this process and each stack process; the returned
 * function gives each one's share of one core (100 = one core busy) since the start.
 */
export function cpuMeter(pids: ReadonlyMap<string, number>): () => Record<string, number> {
  const started = performance.now();
  const machine = machineCpuSeconds();
  const self = process.cpuUsage();
  const processes = new Map([...pids].map(([name, pid]) => [name, processCpuSeconds(pid)]));
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const pct = (cpuSeconds: number) => Math.round((1000 * cpuSeconds) / seconds) / 10;
    const shares: Record<string, number> = { machine: pct(machineCpuSeconds() - machine) };
    let counted = 0;
    for (const [name, before] of processes) {
      const after = processCpuSeconds(pids.get(name)!);
      if (before === null || after === null) continue;
      shares[name] = pct(after - before);
      counted += after - before;
    }
    const { user, system } = process.cpuUsage(self);
    shares.bench = pct((user + system) / 1e6);
    counted += (user + system) / 1e6;
    // Whatever else runs on the machine (other people's tests and benchmarks).
    shares.other = pct(machineCpuSeconds() - machine - counted);
    return shares;
  };
}

/**
 * A throwaway stack for one bench run: ports from `basePort` (offset by the pid, so runs side by
 * side do not collide), databases, queues and channels under one fresh prefix (user ids repeat
 * between stacks, so a stack sharing Redis must not hear another's notices), production mode,
 * secrets of its own, and operation text allowed (bench clients send text, as the Sandbox does;
 * trusted documents are not what a bench measures). `extra` adds to or overrides that. `dropData`
 * removes the databases and Redis keys once the stack has stopped.
 */
export function benchStack(basePort: number, extra: NodeJS.ProcessEnv = {}) {
  const base = basePort + (process.pid % 400) * 10;
  const ports: StackPorts = { gateway: base, user: base + 1, catalogue: base + 2, recommendation: base + 3, feedback: base + 4, worker: base + 5 };
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const processEnv: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    ARBITRARY_OPERATIONS: 'allow',
    MYSQL_DATABASE_PREFIX: prefix,
    QUEUE_PREFIX: prefix,
    PUBSUB_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ...testSecrets(),
    ...extra,
  };
  const settings: AdminRolesSettings & DbSetupConfig = loadConfig(
    'bench',
    dbSetupConfigSchema.extend({ REDIS_URL: commonEnv.REDIS_URL, QUEUE_PREFIX: adminRolesEnv.QUEUE_PREFIX, JWT_TTL_SECONDS: adminRolesEnv.JWT_TTL_SECONDS }),
    { ...process.env, ...processEnv },
  );
  return {
    ports,
    prefix,
    env: stackEnv(ports, processEnv),
    settings,
    gatewayUrl: `http://127.0.0.1:${ports.gateway}/graphql`,
    dropData: async (): Promise<void> => {
      for (const owner of DATABASE_OWNERS) await dropDatabase(settings, owner);
      await dropRedisKeys(settings.REDIS_URL, prefix);
    },
  };
}

/** The benches' cleanUpOnSignal: `bench: SIGINT, stopping <what>…`, then `cleanup` and exit 130. */
export const cleanUpOnSignal = (cleanup: () => Promise<void>, what = 'the stack and dropping its data'): (() => void) =>
  cleanUpOnSignalAs(cleanup, 'bench', `stopping ${what}`);

/**
 * Starts one more gateway of the checkout in `root` over a stack's subgraphs, on its own port, with
 * `extra` on top of the stack's environment: another setting, or another checkout's code (a baseline
 * measured in the same run). With `cpuProfileDir`, it writes a V8 CPU profile there when it stops.
 */
export async function startExtraGateway(
  name: string,
  root: string,
  env: NodeJS.ProcessEnv,
  port: number,
  extra: NodeJS.ProcessEnv,
  cpuProfileDir?: string,
): Promise<ChildProcess> {
  const spec = stackProcesses({ gateway: port, user: 0, catalogue: 0, recommendation: 0, feedback: 0, worker: 0 })
    .flat()
    .find((candidate) => candidate.name === 'gateway')!;
  const flags = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfileDir, name.replace(/\W+/g, '-'))}`] : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', spec.entry], {
    cwd: root,
    env: { ...env, ...extra, GATEWAY_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ready = await fetch(spec.health).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return child;
    await sleep(150);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready`);
}
