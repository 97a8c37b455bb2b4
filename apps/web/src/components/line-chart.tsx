"use client";

// A light SVG line chart for the trading views: a few series over time, optional horizontal reference lines and
// shaded bands, gaps where a series has no value, a crosshair with the values under the pointer (or the arrow
// keys). No chart library: the data is small and the look is ours.
import { useLayoutEffect, useRef, useState } from "react";
import { dotsPath, linePath, nearestTime, stretches, valueTimes } from "./chart-geometry";

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
  /**
   * Step over null values and break the lines only where points are further apart than this (ms): for series of
   * periods, where null means "nothing to measure" and a missing period means "not running".
   */
  gapMs?: number;
}

// The plot is drawn in a fixed coordinate box stretched to the figure's size; strokes keep their width
// (non-scaling) and the labels are HTML, so neither is distorted at any width.
const WIDTH = 1000;
const HEIGHT = 100;
// Up to this many points a line also marks each point, so a sparse history reads as points, not a hairline.
const MARKED_POINTS = 120;

function Swatch({ className, dotted }: { className: string; dotted?: boolean | undefined }) {
  return (
    <svg aria-hidden width="12" height="6" className="shrink-0">
      <line x1="1" x2="11" y1="3" y2="3" className={className} strokeWidth={dotted ? 4 : 2} strokeLinecap="round" strokeDasharray={dotted ? "0 5" : undefined} />
    </svg>
  );
}

function Caption({ title, series, bands, legend }: { title: string; series: readonly ChartSeries[]; bands: readonly ChartBand[]; legend: boolean }) {
  return (
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
}

export function LineChart({ title, series, bands = [], lines = [], from, to, formatValue, formatTime, height = 140, include = [], gapMs }: LineChartProps) {
  const heightClass = HEIGHT_CLASSES[height];
  const [hovered, setHovered] = useState<number | undefined>(undefined);
  const plotRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const times = valueTimes(series);
  const allTimes = [...times, ...bands.flatMap((b) => b.points.map((p) => p.t))];
  const values = [
    ...series.flatMap((s) => s.points.flatMap((p) => (p.v === null ? [] : [p.v]))),
    ...bands.flatMap((b) => b.points.flatMap((p) => [p.low, p.high])),
    ...include,
  ];
  const t0 = from ?? Math.min(...allTimes);
  const t1 = to ?? Math.max(...allTimes);
  const x = (t: number) => (t1 === t0 ? WIDTH : ((t - t0) / (t1 - t0)) * WIDTH);
  const shown = hovered !== undefined && times.includes(hovered) ? hovered : undefined;
  const tipFraction = shown === undefined ? 0 : x(shown) / WIDTH;

  // The tooltip follows the crosshair through the CSSOM: a style attribute would need the CSP to allow inline
  // styles, a property set from script does not.
  useLayoutEffect(() => {
    if (tipRef.current) tipRef.current.style.left = `${(tipFraction * 100).toFixed(2)}%`;
  }, [tipFraction, shown]);

  const legend = series.length > 1 || bands.length > 0;
  const hasData = times.length > 0;
  if (!hasData || !Number.isFinite(t0) || !Number.isFinite(t1)) {
    return (
      <figure className="rounded border border-neutral-800 px-2 pt-1.5 pb-1">
        <Caption title={title} series={series} bands={bands} legend={legend} />
        <p className={`grid place-items-center text-xs text-neutral-600 ${heightClass}`}>No data in this range</p>
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
  const y = (v: number) => HEIGHT - ((v - v0) / (v1 - v0)) * HEIGHT;
  const ticks = [v1, (v0 + v1) / 2, v0];
  const plotted = (points: readonly { t: number; v: number }[]) => points.map((p) => ({ x: x(p.t), y: y(p.v) }));
  const hoveredValues =
    shown === undefined
      ? []
      : series.flatMap((s) => {
          const at = s.points.flatMap((p) => (p.t === shown && p.v !== null ? [p.v] : []));
          return at.length === 0 ? [] : [{ series: s, values: at }];
        });

  const pointAt = (clientX: number) => {
    const box = plotRef.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    setHovered(nearestTime(times, t0 + ((clientX - box.left) / box.width) * (t1 - t0)));
  };
  const step = (key: string) => {
    const index = shown === undefined ? -1 : times.indexOf(shown);
    const next = { ArrowLeft: index <= 0 ? 0 : index - 1, ArrowRight: Math.min(times.length - 1, index + 1), Home: 0, End: times.length - 1 }[key];
    if (next !== undefined) setHovered(times[next]);
    else if (key === "Escape") setHovered(undefined);
    return next !== undefined;
  };
  const pointCount = series.reduce((count, s) => count + s.points.filter((p) => p.v !== null).length, 0);

  return (
    <figure className="rounded border border-neutral-800 px-2 pt-1.5 pb-1">
      <Caption title={title} series={series} bands={bands} legend={legend} />
      <div className="mt-1 flex gap-1.5">
        <div aria-hidden className={`flex w-16 shrink-0 flex-col justify-between text-right font-mono text-[10px] leading-none text-neutral-500 ${heightClass}`}>
          {ticks.map((tick) => (
            <span key={tick}>{formatValue(tick)}</span>
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <div
            ref={plotRef}
            role="group"
            tabIndex={0}
            aria-label={`${title}: point at the chart or use the arrow keys to read the values`}
            className="relative cursor-crosshair rounded-sm outline-none focus-visible:ring-1 focus-visible:ring-emerald-500"
            onPointerMove={(event) => pointAt(event.clientX)}
            onPointerDown={(event) => pointAt(event.clientX)}
            onPointerLeave={() => setHovered(undefined)}
            onBlur={() => setHovered(undefined)}
            onKeyDown={(event) => {
              if (step(event.key)) event.preventDefault();
            }}
          >
            <svg
              viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
              preserveAspectRatio="none"
              className={`block w-full overflow-visible ${heightClass}`}
              role="img"
              aria-label={`${title}: ${pointCount} ${pointCount === 1 ? "point" : "points"} from ${formatTime(t0)} to ${formatTime(t1)}`}
            >
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
              {series.map((s) => {
                const parts = stretches(s.points, gapMs);
                const defined = parts.flat();
                const stroke = { className: s.className, fill: "none", strokeLinecap: "round", vectorEffect: "non-scaling-stroke" } as const;
                if (s.dots) return <path key={s.name} d={dotsPath(plotted(defined))} strokeWidth={4} {...stroke} />;
                // Lone points always get a marker; every point does while there are few.
                const marked = defined.length <= MARKED_POINTS ? defined : parts.filter((part) => part.length === 1).flat();
                return (
                  <g key={s.name}>
                    <path d={linePath(parts.map(plotted))} strokeWidth={1.5} {...stroke} />
                    {marked.length > 0 && <path d={dotsPath(plotted(marked))} strokeWidth={3.5} {...stroke} />}
                  </g>
                );
              })}
              {shown !== undefined && (
                <g aria-hidden>
                  <line x1={x(shown)} x2={x(shown)} y1={0} y2={HEIGHT} className="stroke-neutral-400" strokeWidth={1} vectorEffect="non-scaling-stroke" />
                  {hoveredValues.map(({ series: s, values: at }) => (
                    <path
                      key={s.name}
                      d={dotsPath(at.map((v) => ({ x: x(shown), y: y(v) })))}
                      className={s.className}
                      strokeWidth={7}
                      strokeLinecap="round"
                      vectorEffect="non-scaling-stroke"
                    />
                  ))}
                </g>
              )}
            </svg>
            {shown !== undefined && (
              <div
                ref={tipRef}
                role="tooltip"
                className={`pointer-events-none absolute top-0 z-10 rounded border border-neutral-700 bg-neutral-900/95 px-2 py-1 font-mono text-[11px] whitespace-nowrap text-neutral-100 shadow ${tipFraction > 0.6 ? "-translate-x-full -ml-2" : "ml-2"}`}
              >
                <div className="text-neutral-400">{formatTime(shown)}</div>
                {hoveredValues.map(({ series: s, values: at }) => (
                  <div key={s.name}>
                    {hoveredValues.length > 1 || legend ? `${s.name} ` : ""}
                    {at.map(formatValue).join(", ")}
                  </div>
                ))}
              </div>
            )}
          </div>
          <div aria-hidden className="mt-0.5 flex justify-between font-mono text-[10px] text-neutral-500">
            <span>{formatTime(t0)}</span>
            <span>{formatTime(t1)}</span>
          </div>
        </div>
      </div>
    </figure>
  );
}
