/** One row of the chart: an estimate and its confidence interval. */
export interface IntervalRow {
  label: string;
  value: number;
  lower: number;
  upper: number;
}

const WIDTH = 640;
const ROW = 34;
const LEFT = 140;
const RIGHT = 24;
const TOP = 12;
const AXIS = 30;
/** About this many gridlines; the step is rounded to 1, 2 or 5 times a power of ten. */
const TICKS = 5;

function niceStep(span: number): number {
  const rough = span / TICKS;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10;
  return step * power;
}

/**
 * A forest plot drawn as inline SVG (no chart library, nothing fetched): each arm's estimate as a
 * dot on its confidence interval, the first row's (the control's) value as a dashed reference line,
 * so an arm whose interval clears the line is visibly different.
 */
export function IntervalChart({ rows, title, format }: { rows: readonly IntervalRow[]; title: string; format: (value: number) => string }) {
  const values = rows.flatMap((row) => [row.lower, row.upper, row.value]);
  // Zero is on the axis for rates and money, so a small difference is not drawn as a large one.
  const least = Math.min(0, ...values);
  const most = Math.max(0, ...values);
  const step = niceStep(most > least ? most - least : 1);
  const low = Math.floor(least / step) * step;
  const high = Math.max(low + step, Math.ceil(most / step) * step);
  const ticks = Array.from({ length: Math.round((high - low) / step) + 1 }, (_, index) => low + index * step);
  const height = TOP + rows.length * ROW + AXIS;
  const x = (value: number) => LEFT + ((value - low) / (high - low)) * (WIDTH - LEFT - RIGHT);
  const control = rows[0];
  const description = rows.map((row) => `${row.label}: ${format(row.value)} (${format(row.lower)} to ${format(row.upper)})`).join('; ');
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}: ${description}`}>
      <title>{title}</title>
      {ticks.map((value) => (
        <g key={value}>
          <line x1={x(value)} x2={x(value)} y1={TOP} y2={height - AXIS} className="grid-line" />
          <text x={x(value)} y={height - AXIS + 18} textAnchor="middle" className="tick">
            {format(value)}
          </text>
        </g>
      ))}
      {control && <line x1={x(control.value)} x2={x(control.value)} y1={TOP} y2={height - AXIS} className="reference" />}
      {rows.map((row, index) => {
        const y = TOP + index * ROW + ROW / 2;
        return (
          <g key={row.label} className={index === 0 ? 'control' : 'arm'}>
            <text x={LEFT - 10} y={y + 4} textAnchor="end" className="label">
              {row.label}
            </text>
            <line x1={x(row.lower)} x2={x(row.upper)} y1={y} y2={y} className="interval" />
            <line x1={x(row.lower)} x2={x(row.lower)} y1={y - 6} y2={y + 6} className="interval" />
            <line x1={x(row.upper)} x2={x(row.upper)} y1={y - 6} y2={y + 6} className="interval" />
            <circle cx={x(row.value)} cy={y} r={5} className="estimate" />
          </g>
        );
      })}
    </svg>
  );
}
