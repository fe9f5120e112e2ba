/**
 * The index-snapshot part of pnpm bench:recommend: for one size's stack, once its replica has read
 * the whole feed, `pnpm index:snapshot` builds a snapshot from the catalogue's feed (its own
 * process, timed from start to exit: the build time), then a second recommendation replica starts
 * on it (its own process and port, the stack's databases and catalogue) and is timed from process
 * start to /readyz 200, when its index is loaded; its RSS and peak RSS are read then, and it is stopped. Then a
 * second catalogue is started on the same snapshot the same way (its semantic index). Both are
 * stopped and the snapshots removed. Reported beside the full-scan replica's and catalogue's
 * figures, with the vectors' own size (products × dimension × 4 bytes, float32 as the feed
 * carries them) and the replica's RSS over it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { memoryOf, printColumns, sleep } from './harness';

const ROOT = resolve(__dirname, '../..');
const MIB = 1024 * 1024;

/** A process started on the snapshot: process start to /readyz 200, its index's load within it (its log line), the vectors it read after the snapshot, its RSS then. */
interface StartedOnSnapshot {
  readyS: number;
  indexLoadS: number;
  feedVectors: number;
  rssMb: number;
  /** The most it held so far (VmHWM), what a container's memory limit must allow. */
  peakMb: number;
}

/** The snapshot's build, and the replica started on it (the fields it extends). */
export interface SnapshotReady extends StartedOnSnapshot {
  /** `pnpm index:snapshot` from process start to exit, and the build's own time within it. */
  buildS: number;
  buildOwnS: number;
  snapshotMb: number;
  products: number;
  dimension: number;
  /** A second catalogue on the snapshot, timed the same way (its semantic index's load). */
  catalogue: StartedOnSnapshot;
}

/** What the full-scan replica of the same stack measured, and its catalogue's semantic index (null when its line was not seen). */
export interface FullScan {
  products: number;
  loadMs: number;
  rssMb: number;
  catalogueLoadMs: number | null;
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
 * Starts `entry` with `env` and waits for its /readyz on `port`; it must log `loaded` as
 * "<loaded>: N products in M ms (snapshot <id> and K vectors from the feed)". Says what it
 * measured through `progress`, and stops it after.
 */
async function startOnSnapshot(options: {
  what: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  port: number;
  loaded: string;
  timeoutMs: number;
  progress: (message: string) => void;
}): Promise<StartedOnSnapshot> {
  const { what, timeoutMs } = options;
  const pattern = new RegExp(`${options.loaded}: \\d+ products in (\\d+) ms \\(snapshot \\S+ and (\\d+) vectors from the feed\\)`);
  const loaded: { line: { ms: number; feed: number } | null } = { line: null };
  const started = performance.now();
  const child = start(options.entry, options.env, (line) => {
    const match = pattern.exec(line);
    if (match) loaded.line = { ms: Number(match[1]), feed: Number(match[2]) };
  });
  try {
    const readyz = `http://127.0.0.1:${options.port}/readyz`;
    for (;;) {
      if (child.child.exitCode !== null || child.child.signalCode !== null) {
        throw new Error(`the snapshot ${what} ended while loading: ${child.lines.slice(-5).join(' | ')}`);
      }
      if (performance.now() - started > timeoutMs) throw new Error(`the snapshot ${what} was not ready within ${timeoutMs} ms`);
      const status = await fetch(readyz).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      await sleep(100);
    }
    const readyS = (performance.now() - started) / 1000;
    const { rssMb, peakMb } = await memoryOf(child.child.pid);
    if (!loaded.line) throw new Error(`the ${what} is ready but did not start from the snapshot: ${child.lines.slice(-5).join(' | ')}`);
    const indexLoadS = loaded.line.ms / 1000;
    options.progress(
      `${what} ready from the snapshot ${readyS.toFixed(1)} s after its process started (its index ${indexLoadS.toFixed(1)} s), RSS ${rssMb} MiB (peak ${peakMb})`,
    );
    return { readyS, indexLoadS, feedVectors: loaded.line.feed, rssMb, peakMb };
  } finally {
    child.child.kill('SIGTERM');
    await child.exited;
  }
}

/**
 * Builds a snapshot of the stack `env` describes into `dir`, then starts a replica on `port` that
 * loads it, then a catalogue on `cataloguePort`; removes `dir` after. `progress` gets a line per step.
 */
export async function measureSnapshotReady(options: {
  env: NodeJS.ProcessEnv;
  /** The second replica's port and the second catalogue's. */
  port: number;
  cataloguePort: number;
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

    const onSnapshot = (what: string, entry: string, portSetting: string, port: number, loaded: string) =>
      startOnSnapshot({ what, entry, env: { ...env, [portSetting]: String(port) }, port, loaded, timeoutMs, progress });
    const replica = await onSnapshot('replica', 'subgraphs/recommendation/src/main.ts', 'RECOMMENDATION_PORT', options.port, 'product index loaded');
    const catalogue = await onSnapshot('catalogue', 'subgraphs/catalogue/src/main.ts', 'CATALOGUE_PORT', options.cataloguePort, 'semantic search index loaded');
    return {
      buildS,
      buildOwnS: report.seconds,
      snapshotMb: report.bytes / MIB,
      products: report.products,
      dimension: report.dimension,
      ...replica,
      catalogue,
    };
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
      'RSS MiB full-scan / snapshot (its peak)',
      'vectors MiB',
      'snapshot RSS / vectors (peak)',
    ],
    rows.map(({ fullScan, snapshot }) => [
      String(fullScan.products),
      (fullScan.loadMs / 1000).toFixed(1),
      snapshot.buildS.toFixed(1),
      snapshot.snapshotMb.toFixed(0),
      snapshot.readyS.toFixed(1),
      snapshot.indexLoadS.toFixed(1),
      `${(fullScan.loadMs / 1000 / snapshot.readyS).toFixed(2)}×`,
      `${fullScan.rssMb}/${snapshot.rssMb} (${snapshot.peakMb})`,
      vectorsMb(snapshot).toFixed(0),
      `${(snapshot.rssMb / vectorsMb(snapshot)).toFixed(2)}× (${(snapshot.peakMb / vectorsMb(snapshot)).toFixed(2)}×)`,
    ]),
  );
}

export function printCatalogueSnapshotReady(rows: readonly { fullScan: FullScan; snapshot: SnapshotReady }[]): void {
  printColumns(
    [
      'products',
      'full-feed semantic index load s',
      'ready from snapshot s',
      'its semantic index load s',
      'full-feed load / snapshot ready',
      'RSS MiB on snapshot (peak)',
    ],
    rows.map(({ fullScan, snapshot: { catalogue } }) => [
      String(fullScan.products),
      fullScan.catalogueLoadMs === null ? '-' : (fullScan.catalogueLoadMs / 1000).toFixed(1),
      catalogue.readyS.toFixed(1),
      catalogue.indexLoadS.toFixed(1),
      fullScan.catalogueLoadMs === null ? '-' : `${(fullScan.catalogueLoadMs / 1000 / catalogue.readyS).toFixed(2)}×`,
      `${catalogue.rssMb} (${catalogue.peakMb})`,
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
    peak_rss_mb: snapshot.peakMb,
    full_scan_rss_mb: fullScan.rssMb,
    vectors_mb: round(vectorsMb(snapshot)),
    rss_over_vectors: round(snapshot.rssMb / vectorsMb(snapshot), 2),
    peak_rss_over_vectors: round(snapshot.peakMb / vectorsMb(snapshot), 2),
    catalogue: {
      full_feed_load_s: fullScan.catalogueLoadMs === null ? null : round(fullScan.catalogueLoadMs / 1000, 2),
      ready_s: round(snapshot.catalogue.readyS, 2),
      index_load_s: round(snapshot.catalogue.indexLoadS, 2),
      feed_vectors_after_snapshot: snapshot.catalogue.feedVectors,
      rss_mb: snapshot.catalogue.rssMb,
      peak_rss_mb: snapshot.catalogue.peakMb,
    },
    ready_goal_s: SNAPSHOT_GOALS.readyS,
    rss_goal_over_vectors: SNAPSHOT_GOALS.rssOverVectors,
  };
}
