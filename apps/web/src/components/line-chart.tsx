// A light SVG line chart for the trading views: a few series over time, optional horizontal reference lines and
// shaded bands, gaps where a series has no value. No chart library: the data is small and the look is ours.

export interface ChartSeries {
  name: string;
  /** Tailwind stroke/fill colour class, e.g. "stroke-sky-400". */
  className: string;
  points: readonly { t: number; v: number | null }[];
  /** Draw each point as a dot instead of a line (our orders). */
  dots?: boolean;
}

export interface ChartBand {
  name: string;
  className: string;
  points: readonly { t: number; low: number; high: number }[];
}

export interface ChartLine {
  name: string;
  value: number;
  className: string;
}

export interface LineChartProps {
  title: string;
  series: readonly ChartSeries[];
  bands?: readonly ChartBand[];
  lines?: readonly ChartLine[];
  /** Time domain; defaults to the data's. */
  from?: number;
  to?: number;
  formatValue: (value: number) => string;
  formatTime: (time: number) => string;
  height?: number;
  /** Keep this value inside the vertical range (a target line). */
  include?: readonly number[];
}

const WIDTH = 600;
const PAD = { top: 8, right: 8, bottom: 18, left: 64 };

function path(points: readonly { x: number; y: number | null }[]): string {
  let d = "";
  let pen = false;
  for (const { x, y } of points) {
    if (y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function LineChart({ title, series, bands = [], lines = [], from, to, formatValue, formatTime, height = 140, include = [] }: LineChartProps) {
  const times = [...series.flatMap((s) => s.points.map((p) => p.t)), ...bands.flatMap((b) => b.points.map((p) => p.t))];
  const values = [
    ...series.flatMap((s) => s.points.flatMap((p) => (p.v === null ? [] : [p.v]))),
    ...bands.flatMap((b) => b.points.flatMap((p) => [p.low, p.high])),
    ...include,
  ];
  const t0 = from ?? Math.min(...times);
  const t1 = to ?? Math.max(...times);
  if (values.length === 0 || !Number.isFinite(t0) || !Number.isFinite(t1)) {
    return (
      <figure className="rounded border border-neutral-800 px-3 py-2">
        <figcaption className="text-xs text-neutral-400">{title}</figcaption>
        <p className="grid h-24 place-items-center text-xs text-neutral-600">No data in this range</p>
      </figure>
    );
  }
  let v0 = Math.min(...values);
  let v1 = Math.max(...values);
  if (v0 === v1) {
    const pad = Math.abs(v0) * 0.001 || 1;
    v0 -= pad;
    v1 += pad;
  }
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (t1 === t0 ? innerW : ((t - t0) / (t1 - t0)) * innerW);
  const y = (v: number) => PAD.top + innerH - ((v - v0) / (v1 - v0)) * innerH;
  const ticks = [v0, (v0 + v1) / 2, v1];

  return (
    <figure className="rounded border border-neutral-800 px-2 pt-1.5 pb-1">
      <figcaption className="flex flex-wrap items-center gap-x-3 px-1 text-xs text-neutral-400">
        <span className="font-medium text-neutral-300">{title}</span>
        {[...series, ...bands].map((s) => (
          <span key={s.name} className="inline-flex items-center gap-1">
            <svg aria-hidden width="10" height="4">
              <rect width="10" height="4" className={s.className.replace(/stroke-/g, "fill-")} />
            </svg>
            {s.name}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} className="h-auto w-full" role="img" aria-label={title} preserveAspectRatio="none">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="stroke-neutral-800" strokeWidth={1} />
            <text x={PAD.left - 4} y={y(tick) + 3} textAnchor="end" className="fill-neutral-500 font-mono text-[10px]">
              {formatValue(tick)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={height - 4} className="fill-neutral-500 font-mono text-[10px]">
          {formatTime(t0)}
        </text>
        <text x={WIDTH - PAD.right} y={height - 4} textAnchor="end" className="fill-neutral-500 font-mono text-[10px]">
          {formatTime(t1)}
        </text>
        {bands.map((band) => (
          <path
            key={band.name}
            className={band.className}
            d={
              band.points.length === 0
                ? ""
                : `M${band.points.map((p) => `${x(p.t).toFixed(1)},${y(p.high).toFixed(1)}`).join("L")}L${[...band.points]
                    .reverse()
                    .map((p) => `${x(p.t).toFixed(1)},${y(p.low).toFixed(1)}`)
                    .join("L")}Z`
            }
          />
        ))}
        {lines.map((line) => (
          <line
            key={line.name}
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(line.value)}
            y2={y(line.value)}
            className={line.className}
            strokeDasharray="4 3"
            strokeWidth={1}
          >
            <title>{line.name}</title>
          </line>
        ))}
        {series.map((s) =>
          s.dots ? (
            <g key={s.name} className={s.className.replace(/stroke-/g, "fill-")}>
              {s.points.flatMap((p, i) => (p.v === null ? [] : [<circle key={i} cx={x(p.t)} cy={y(p.v)} r={1.8} />]))}
            </g>
          ) : (
            <path
              key={s.name}
              d={path(s.points.map((p) => ({ x: x(p.t), y: p.v === null ? null : y(p.v) })))}
              className={s.className}
              fill="none"
              strokeWidth={1.5}
              vectorEffect="non-scaling-stroke"
            />
          ),
        )}
      </svg>
    </figure>
  );
}
