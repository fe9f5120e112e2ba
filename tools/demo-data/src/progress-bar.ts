export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** `5s`, `1m05s`, `2h03m`; `?` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '-/s';
  return perSecond >= 100 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
}

/**
 * One status line: label, bar (when `width` > 0), percentage, count, rate and time left, e.g.
 * `events   [#######.............]  35%  7000/20000  3500/s  ETA 4s`.
 */
export function renderProgress(label: string, done: number, total: number, elapsedSeconds: number, width: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : Number.NaN;
  const eta = done >= total ? 'done' : `ETA ${rate > 0 ? formatDuration((total - done) / rate) : '?'}`;
  const filled = Math.round(fraction * width);
  const bar = width > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]` : '';
  return `${label.padEnd(10)}${bar} ${percent}  ${done}/${total}  ${formatRate(rate)}  ${eta}`;
}

/**
 * A progress bar on stderr. On a terminal it redraws one line in place (at most ten times a
 * second); otherwise (a log file, CI) it prints a plain line at each further tenth, so logs stay short.
 */
export class ProgressBar {
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastTenth = -1;
  private finished = false;

  constructor(
    private readonly label: string,
    private total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(done: number, total = this.total): void {
    if (this.finished) return;
    this.total = total;
    const elapsed = (this.now() - this.started) / 1000;
    if (this.stream.isTTY) {
      const at = this.now();
      if (done < total && at - this.lastDraw < 100) return;
      this.lastDraw = at;
      const width = Math.max(0, Math.min(30, (this.stream.columns || 80) - 60));
      this.stream.write(`\r\x1b[2K${renderProgress(this.label, done, total, elapsed, width)}`);
    } else {
      const tenth = total > 0 ? Math.floor((Math.min(done, total) / total) * 10) : 10;
      if (tenth <= this.lastTenth) return;
      this.lastTenth = tenth;
      this.stream.write(`${renderProgress(this.label, done, total, elapsed, 0)}\n`);
    }
    if (done >= total) this.finish();
  }

  /** Ends the line on a terminal; further updates are ignored. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
