/**
 * The index-snapshot part of pnpm bench:recommend: for one size's stack, once its replica has read
 * the whole feed, `pnpm index:snapshot` builds a snapshot from the catalogue's feed (its own
 * process, timed from start to exit: the build time), then a second recommendation replica starts
 * on it (its own process and port, the stack's databases and catalogue) and is timed from process
 * start to /readyz 200, when its index is loaded; its RSS is read then, and it is stopped and the
 * snapshots removed. Reported beside the full-scan replica's figures, with the vectors' own size
 * (products × dimension × 4 bytes, float32 as the feed carries them) and RSS over it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { memoryOf, printColumns, sleep } from './harness';

const ROOT = resolve(__dirname, '../..');
const MIB = 1024 * 1024;

export interface SnapshotReady {
  /** `pnpm index:snapshot` from process start to exit, and the build's own time within it. */
  buildS: number;
  buildOwnS: number;
  snapshotMb: number;
  products: number;
  dimension: number;
  /** The replica on the snapshot: process start to /readyz 200, and its index's load within it (its log line). */
  readyS: number;
  indexLoadS: number;
  /** Vectors the replica read from the feed after the snapshot. */
  feedVectors: number;
  rssMb: number;
}

/** What the full-scan replica of the same stack measured. */
export interface FullScan {
  products: number;
  loadMs: number;
  rssMb: number;
}

interface Spawned {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function start(entry: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void = () => undefined): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        onLine(line);
      }
    });
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, lines, exited };
}

/**
 * Builds a snapshot of the stack `env` describes into `dir`, then starts a replica on `port` that
 * loads it; removes `dir` after. `progress` gets a line per step.
 */
export async function measureSnapshotReady(options: {
  env: NodeJS.ProcessEnv;
  port: number;
  dir: string;
  timeoutMs: number;
  progress: (message: string) => void;
}): Promise<SnapshotReady> {
  const { progress, timeoutMs } = options;
  const env = { ...options.env, INDEX_SNAPSHOT_DIR: options.dir };
  try {
    progress('building an index snapshot with pnpm index:snapshot…');
    const buildStarted = performance.now();
    const build = start('subgraphs/recommendation/src/index-snapshot-cli.ts', env);
    const code = await build.exited;
    const buildS = (performance.now() - buildStarted) / 1000;
    if (code !== 0) throw new Error(`pnpm index:snapshot exited with ${code}: ${build.lines.slice(-5).join(' | ')}`);
    const report = JSON.parse(build.lines.filter((line) => line.startsWith('{"snapshot"')).at(-1) ?? 'null') as {
      products: number;
      dimension: number;
      bytes: number;
      seconds: number;
    } | null;
    if (!report) throw new Error(`pnpm index:snapshot printed no report: ${build.lines.slice(-5).join(' | ')}`);
    progress(`snapshot of ${report.products} products (${(report.bytes / MIB).toFixed(0)} MiB) built in ${buildS.toFixed(1)} s; starting a replica on it…`);

    const loaded: { line: { ms: number; feed: number } | null } = { line: null };
    const replicaStarted = performance.now();
    const replica = start('subgraphs/recommendation/src/main.ts', { ...env, RECOMMENDATION_PORT: String(options.port) }, (line) => {
      const match = /product index loaded: \d+ products in (\d+) ms \(snapshot \S+ and (\d+) vectors from the feed\)/.exec(line);
      if (match) loaded.line = { ms: Number(match[1]), feed: Number(match[2]) };
    });
    try {
      const readyz = `http://127.0.0.1:${options.port}/readyz`;
      for (;;) {
        if (replica.child.exitCode !== null || replica.child.signalCode !== null) {
          throw new Error(`the snapshot replica ended while loading: ${replica.lines.slice(-5).join(' | ')}`);
        }
        if (performance.now() - replicaStarted > timeoutMs) throw new Error(`the snapshot replica was not ready within ${timeoutMs} ms`);
        const status = await fetch(readyz).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) break;
        await sleep(100);
      }
      const readyS = (performance.now() - replicaStarted) / 1000;
      const { rssMb } = await memoryOf(replica.child.pid);
      if (!loaded.line) throw new Error(`the replica is ready but did not start from the snapshot: ${replica.lines.slice(-5).join(' | ')}`);
      progress(
        `replica ready from the snapshot ${readyS.toFixed(1)} s after its process started (index ${(loaded.line.ms / 1000).toFixed(1)} s), RSS ${rssMb} MiB`,
      );
      return {
        buildS,
        buildOwnS: report.seconds,
        snapshotMb: report.bytes / MIB,
        products: report.products,
        dimension: report.dimension,
        readyS,
        indexLoadS: loaded.line.ms / 1000,
        feedVectors: loaded.line.feed,
        rssMb,
      };
    } finally {
      replica.child.kill('SIGTERM');
      await replica.exited;
    }
  } finally {
    await rm(options.dir, { recursive: true, force: true });
  }
}

/** MiB of the vectors themselves: products × dimension float32 values. */
const vectorsMb = (snapshot: SnapshotReady) => (snapshot.products * snapshot.dimension * 4) / MIB;

/** The goals: a 1M catalogue's replica ready within this, RSS within this multiple of its vectors. */
export const SNAPSHOT_GOALS = { readyS: 60, rssOverVectors: 1.2 } as const;

export function printSnapshotReady(rows: readonly { fullScan: FullScan; snapshot: SnapshotReady }[]): void {
  printColumns(
    [
      'products',
      'full-scan index load s',
      'snapshot build s',
      'snapshot MiB',
      'ready from snapshot s',
      'its index load s',
      'full-scan load / snapshot ready',
      'RSS MiB full-scan / snapshot',
      'vectors MiB',
      'snapshot RSS / vectors',
    ],
    rows.map(({ fullScan, snapshot }) => [
      String(fullScan.products),
      (fullScan.loadMs / 1000).toFixed(1),
      snapshot.buildS.toFixed(1),
      snapshot.snapshotMb.toFixed(0),
      snapshot.readyS.toFixed(1),
      snapshot.indexLoadS.toFixed(1),
      `${(fullScan.loadMs / 1000 / snapshot.readyS).toFixed(2)}×`,
      `${fullScan.rssMb}/${snapshot.rssMb}`,
      vectorsMb(snapshot).toFixed(0),
      `${(snapshot.rssMb / vectorsMb(snapshot)).toFixed(2)}×`,
    ]),
  );
}

/** The size's snapshot figures for the bench's JSON line. */
export function snapshotFigures(fullScan: FullScan, snapshot: SnapshotReady) {
  const round = (value: number, digits = 1) => Number(value.toFixed(digits));
  return {
    build_s: round(snapshot.buildS),
    build_own_s: snapshot.buildOwnS,
    snapshot_mb: round(snapshot.snapshotMb),
    snapshot_bytes_per_product: Math.round((snapshot.snapshotMb * MIB) / snapshot.products),
    ready_s: round(snapshot.readyS, 2),
    index_load_s: round(snapshot.indexLoadS, 2),
    feed_vectors_after_snapshot: snapshot.feedVectors,
    full_scan_load_over_ready: round(fullScan.loadMs / 1000 / snapshot.readyS, 2),
    rss_mb: snapshot.rssMb,
    full_scan_rss_mb: fullScan.rssMb,
    vectors_mb: round(vectorsMb(snapshot)),
    rss_over_vectors: round(snapshot.rssMb / vectorsMb(snapshot), 2),
    ready_goal_s: SNAPSHOT_GOALS.readyS,
    rss_goal_over_vectors: SNAPSHOT_GOALS.rssOverVectors,
  };
}
