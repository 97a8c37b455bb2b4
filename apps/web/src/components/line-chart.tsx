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

const HEIGHT_CLASSES = { 110: "h-[110px]", 140: "h-[140px]", 200: "h-[200px]" } as const;
export type ChartHeight = keyof typeof HEIGHT_CLASSES;

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
  /** px; one of a few, as classes: a style attribute would need the CSP to allow inline styles. */
  height?: ChartHeight;
  /** Keep this value inside the vertical range (a target line). */
  include?: readonly number[];
}

// The plot is drawn in a fixed coordinate box stretched to the figure's size; strokes keep their width
// (non-scaling) and the labels are HTML, so neither is distorted at any width.
const WIDTH = 1000;
const HEIGHT = 100;

function path(points: readonly { x: number; y: number | null }[]): string {
  let d = "";
  let pen = false;
  for (const { x, y } of points) {
    if (y === null) {
      pen = false;
      continue;
    }
    // A new stretch starts with a zero-length segment, so a lone point still shows as a dot (round caps).
    d += pen ? `L${x.toFixed(1)},${y.toFixed(2)}` : `M${x.toFixed(1)},${y.toFixed(2)}h0`;
    pen = true;
  }
  return d;
}

/** Zero-length segments with round caps: dots that stay round when the box is stretched. */
function dots(points: readonly { x: number; y: number }[]): string {
  return points.map(({ x, y }) => `M${x.toFixed(1)},${y.toFixed(2)}h0`).join("");
}

function Swatch({ className, dotted }: { className: string; dotted?: boolean | undefined }) {
  return (
    <svg aria-hidden width="12" height="6" className="shrink-0">
      <line x1="1" x2="11" y1="3" y2="3" className={className} strokeWidth={dotted ? 4 : 2} strokeLinecap="round" strokeDasharray={dotted ? "0 5" : undefined} />
    </svg>
  );
}

export function LineChart({ title, series, bands = [], lines = [], from, to, formatValue, formatTime, height = 140, include = [] }: LineChartProps) {
  const heightClass = HEIGHT_CLASSES[height];
  const times = [...series.flatMap((s) => s.points.map((p) => p.t)), ...bands.flatMap((b) => b.points.map((p) => p.t))];
  const values = [
    ...series.flatMap((s) => s.points.flatMap((p) => (p.v === null ? [] : [p.v]))),
    ...bands.flatMap((b) => b.points.flatMap((p) => [p.low, p.high])),
    ...include,
  ];
  const t0 = from ?? Math.min(...times);
  const t1 = to ?? Math.max(...times);
  const hasData = series.some((s) => s.points.some((p) => p.v !== null));
  const legend = series.length > 1 || bands.length > 0;
  const caption = (
    <figcaption className="flex flex-wrap items-center gap-x-3 px-1 text-xs text-neutral-400">
      <span className="font-medium text-neutral-300">{title}</span>
      {legend &&
        series.map((s) => (
          <span key={s.name} className="inline-flex items-center gap-1">
            <Swatch className={s.className} dotted={s.dots} />
            {s.name}
          </span>
        ))}
      {legend &&
        bands
          .filter((band, i) => bands.findIndex((other) => other.name === band.name) === i)
          .map((band) => (
          <span key={band.name} className="inline-flex items-center gap-1">
            <span aria-hidden className={`inline-block h-2 w-3 ${band.className.replace("fill-", "bg-")}`} />
            {band.name}
          </span>
        ))}
    </figcaption>
  );
  if (!hasData || !Number.isFinite(t0) || !Number.isFinite(t1)) {
    return (
      <figure className="rounded border border-neutral-800 px-2 pt-1.5 pb-1">
        {caption}
        <p className={`grid place-items-center text-xs text-neutral-600 ${heightClass}`}>
          No data in this range
        </p>
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
  const x = (t: number) => (t1 === t0 ? WIDTH : ((t - t0) / (t1 - t0)) * WIDTH);
  const y = (v: number) => HEIGHT - ((v - v0) / (v1 - v0)) * HEIGHT;
  const ticks = [v1, (v0 + v1) / 2, v0];

  return (
    <figure className="rounded border border-neutral-800 px-2 pt-1.5 pb-1">
      {caption}
      <div className="mt-1 flex gap-1.5">
        <div aria-hidden className={`flex w-16 shrink-0 flex-col justify-between text-right font-mono text-[10px] leading-none text-neutral-500 ${heightClass}`}>
          {ticks.map((tick) => (
            <span key={tick}>{formatValue(tick)}</span>
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" className={`block w-full overflow-visible ${heightClass}`} role="img" aria-label={title}>
            {[0, HEIGHT / 2, HEIGHT].map((tickY) => (
              <line key={tickY} x1={0} x2={WIDTH} y1={tickY} y2={tickY} className="stroke-neutral-800" strokeWidth={1} vectorEffect="non-scaling-stroke" />
            ))}
            {bands.map((band, index) =>
              band.points.length === 0 ? null : (
                <path
                  key={index}
                  className={band.className}
                  d={`M${band.points.map((p) => `${x(p.t).toFixed(1)},${y(p.high).toFixed(2)}`).join("L")}L${[...band.points]
                    .reverse()
                    .map((p) => `${x(p.t).toFixed(1)},${y(p.low).toFixed(2)}`)
                    .join("L")}Z`}
                />
              ),
            )}
            {lines.map((line) => (
              <line
                key={line.name}
                x1={0}
                x2={WIDTH}
                y1={y(line.value)}
                y2={y(line.value)}
                className={line.className}
                strokeDasharray="4 3"
                strokeWidth={1}
                vectorEffect="non-scaling-stroke"
              >
                <title>{line.name}</title>
              </line>
            ))}
            {series.map((s) => (
              <path
                key={s.name}
                d={
                  s.dots
                    ? dots(s.points.flatMap((p) => (p.v === null ? [] : [{ x: x(p.t), y: y(p.v) }])))
                    : path(s.points.map((p) => ({ x: x(p.t), y: p.v === null ? null : y(p.v) })))
                }
                className={s.className}
                fill="none"
                strokeWidth={s.dots ? 4 : 1.5}
                strokeLinecap="round"
                vectorEffect="non-scaling-stroke"
              />
            ))}
          </svg>
          <div aria-hidden className="mt-0.5 flex justify-between font-mono text-[10px] text-neutral-500">
            <span>{formatTime(t0)}</span>
            <span>{formatTime(t1)}</span>
          </div>
        </div>
      </div>
    </figure>
  );
}
