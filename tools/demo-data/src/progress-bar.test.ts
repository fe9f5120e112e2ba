import { formatDuration, formatRate, ProgressBar, renderProgress } from './progress-bar';

class FakeStream {
  text = '';
  constructor(readonly isTTY: boolean) {}
  columns = 100;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('formatting', () => {
  it('formats durations and rates compactly', () => {
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(7380)).toBe('2h03m');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatRate(3499.6)).toBe('3500/s');
    expect(formatRate(2.25)).toBe('2.3/s');
    expect(formatRate(Number.NaN)).toBe('-/s');
  });

  it('renders percentage, count, rate and ETA with an optional bar', () => {
    expect(renderProgress('events', 7000, 20000, 2, 20)).toBe('events     [#######.............]  35%  7000/20000  3500/s  ETA 4s');
    expect(renderProgress('reviews', 10, 10, 5, 0)).toBe('reviews    100%  10/10  2.0/s  done');
    expect(renderProgress('read', 0, 5, 0, 0)).toBe('read         0%  0/5  -/s  ETA ?');
  });
});

describe('ProgressBar', () => {
  it('prints a plain line per tenth when the stream is not a terminal', () => {
    let clock = 0;
    const stream = new FakeStream(false);
    const bar = new ProgressBar('events', 100, stream, () => clock);
    for (let done = 0; done <= 100; done += 5) {
      clock += 100;
      bar.update(done);
    }
    const lines = stream.text.trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toContain('  0%  0/100');
    expect(lines[10]).toMatch(/100% {2}100\/100 {2}47\.6\/s {2}done$/);
    expect(stream.text).not.toContain('\r');
  });

  it('redraws in place on a terminal, throttled, and ends the line when done', () => {
    let clock = 0;
    const stream = new FakeStream(true);
    const bar = new ProgressBar('products', 10, stream, () => clock);
    bar.update(1);
    clock += 50;
    bar.update(2);
    clock += 100;
    bar.update(3);
    clock += 10;
    bar.update(10);
    bar.update(10);
    expect(stream.text.split('\r')).toHaveLength(4);
    expect(stream.text.endsWith('done\n')).toBe(true);
    expect(stream.text).toContain('[');
  });
});
