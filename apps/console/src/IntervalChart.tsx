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
const TICKS = 5;

/**
 * A forest plot drawn as inline SVG (no chart library, nothing fetched): each arm's estimate as a
 * dot on its confidence interval, the first row's (the control's) value as a dashed reference line,
 * so an arm whose interval clears the line is visibly different.
 */
export function IntervalChart({ rows, title, format }: { rows: readonly IntervalRow[]; title: string; format: (value: number) => string }) {
  const values = rows.flatMap((row) => [row.lower, row.upper, row.value]);
  // Zero is on the axis for rates and money, so a small difference is not drawn as a large one.
  let low = Math.min(0, ...values);
  let high = Math.max(0, ...values);
  if (high === low) high = low + 1;
  const pad = (high - low) * 0.05;
  low = low < 0 ? low - pad : low;
  high += pad;
  const height = TOP + rows.length * ROW + AXIS;
  const x = (value: number) => LEFT + ((value - low) / (high - low)) * (WIDTH - LEFT - RIGHT);
  const control = rows[0];
  const description = rows.map((row) => `${row.label}: ${format(row.value)} (${format(row.lower)} to ${format(row.upper)})`).join('; ');
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}: ${description}`}>
      <title>{title}</title>
      {Array.from({ length: TICKS + 1 }, (_, index) => {
        const value = low + ((high - low) * index) / TICKS;
        return (
          <g key={index}>
            <line x1={x(value)} x2={x(value)} y1={TOP} y2={height - AXIS} className="grid-line" />
            <text x={x(value)} y={height - AXIS + 18} textAnchor="middle" className="tick">
              {format(value)}
            </text>
          </g>
        );
      })}
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
