// The pure side of the line chart: which points a line joins, where it breaks, and which point a pointer is on.

export interface TimedValue {
  t: number;
  v: number | null;
}

export interface PlotPoint {
  x: number;
  y: number | null;
}

/**
 * The stretches a line draws, oldest first. Without `gapMs` a null value breaks the line (the value was not
 * known). With `gapMs` a null is a period with nothing to measure (no orders in that minute) and is stepped over,
 * and the line breaks only where two points (with a value or not) are further apart than `gapMs` (periods
 * without rows: the bot did not run).
 */
export function stretches(points: readonly TimedValue[], gapMs?: number): { t: number; v: number }[][] {
  const result: { t: number; v: number }[][] = [];
  let current: { t: number; v: number }[] = [];
  const close = () => {
    if (current.length > 0) result.push(current);
    current = [];
  };
  let lastTime: number | undefined;
  for (const point of points) {
    if (gapMs !== undefined && lastTime !== undefined && point.t - lastTime > gapMs) close();
    lastTime = point.t;
    if (point.v === null) {
      if (gapMs === undefined) close();
      continue;
    }
    current.push({ t: point.t, v: point.v });
  }
  close();
  return result;
}

/** An SVG path through each stretch; a lone point is a zero-length segment, which round caps draw as a dot. */
export function linePath(parts: readonly (readonly { x: number; y: number }[])[]): string {
  return parts
    .map((part) => part.map(({ x, y }, i) => (i === 0 ? `M${x.toFixed(1)},${y.toFixed(2)}h0` : `L${x.toFixed(1)},${y.toFixed(2)}`)).join(""))
    .join("");
}

/** Zero-length segments with round caps: dots that stay round when the box is stretched. */
export function dotsPath(points: readonly { x: number; y: number }[]): string {
  return points.map(({ x, y }) => `M${x.toFixed(1)},${y.toFixed(2)}h0`).join("");
}

/** The time in `times` (sorted ascending) nearest to `t`; undefined when there is none. */
export function nearestTime(times: readonly number[], t: number): number | undefined {
  if (times.length === 0) return undefined;
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle] ?? 0) < t) low = middle + 1;
    else high = middle;
  }
  const after = times[low] ?? 0;
  const before = times[low - 1];
  return before !== undefined && t - before <= after - t ? before : after;
}

/** The sorted distinct times at which any series has a value: where the crosshair can stop. */
export function valueTimes(series: readonly { points: readonly TimedValue[] }[]): number[] {
  const times = new Set<number>();
  for (const s of series) for (const p of s.points) if (p.v !== null) times.add(p.t);
  return [...times].sort((a, b) => a - b);
}
