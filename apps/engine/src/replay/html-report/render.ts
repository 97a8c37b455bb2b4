// The replay as one self-contained HTML page (inline SVG, CSS and a small script, no external assets): prices and
// our quotes against the band, the same as distances from the reference, the KPI timeline, every breach episode
// marked in red across the charts, the KPI table, and a readout of the column under the mouse.
import type { BotConfig } from "@bandkeeper/core";
import type { ReplayReport } from "../replay-report";
import type { Episode, Range, ReportBucket, ReportData } from "./collector";

export interface ReportContext {
  readonly symbol: string;
  readonly latencyMs: number;
  readonly config: BotConfig;
  readonly report: ReplayReport;
  readonly data: readonly string[];
  /** A name for the tape, when it is not a file (the regime benchmark's tapes). */
  readonly title?: string;
}

const WIDTH = 1360;
const LEFT = 130;
const RIGHT = 20;
const PLOT = WIDTH - LEFT - RIGHT;
const COLOURS = { reference: "#222", band: "#d9f0d9", bandEdge: "#7cbf7c", bid: "#1f6fb4", ask: "#d2691e", ourBid: "#0b3d91", ourAsk: "#a0141e", breach: "rgba(220,30,30,0.18)", breachTick: "#d22" };

export function renderHtmlReport(data: ReportData, context: ReportContext): string {
  const x = (time: number) => LEFT + ((time - data.start) / Math.max(1, data.end - data.start)) * PLOT;
  const spans = episodeSpans(data.episodes, x);
  const title = context.title ?? context.symbol;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Replay report: ${escape(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:20px 24px;color:#222;max-width:${WIDTH + 20}px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px}
.meta{color:#555;margin-bottom:10px}table{border-collapse:collapse;margin:6px 0}
td,th{padding:3px 10px;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}.legend span{display:inline-block;margin-right:16px}
.sw{display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle}
.kpis{display:flex;gap:40px;flex-wrap:wrap;align-items:flex-start}svg text{font:12px system-ui,sans-serif;fill:#444}
</style></head><body>
<h1>Replay report: ${escape(title)}</h1>
<div class="meta">${escape(context.symbol)}, requoteMode ${escape(context.config.requoteMode)}, ${context.latencyMs} ms one-way latency,
band ${pct(context.config.band.minSpread)} to ${pct(context.config.band.maxSpread)} of the reference, minNotional ${escape(context.config.minNotional)};
${utc(data.start)} to ${utc(data.end)} UTC (${duration(data.end - data.start)}); one chart column = ${duration(data.bucketMs)}.
${context.data.length > 0 ? `<br>data: ${context.data.map(escape).join(", ")}` : ""}</div>
<div class="kpis">${kpiTable(context.report)}${episodeTable(data)}</div>
<h2>Prices and our quotes</h2>
<div class="legend">${legend([
    [COLOURS.reference, "reference"],
    [COLOURS.band, "band (min..max spread)"],
    [COLOURS.bid, "market best bid"],
    [COLOURS.ask, "market best ask"],
    [COLOURS.ourBid, "our bid"],
    [COLOURS.ourAsk, "our ask"],
    [COLOURS.breachTick, "breach episode (as the bot's KPIs count it: a side without a valid order, or an order that needed action): a tick along the top, and a red column when it lasts a pixel or more"],
  ])}</div>
${priceChart(data, context.config, x, spans)}
<h2>Distance from the reference</h2>
<div class="meta">Each price as a percentage of the reference in force at that moment (the range a column saw): the band is fixed here, so our quotes (dark) should stay inside the green; the market's best bid and ask are the lighter bars.</div>
${distanceChart(data, context.config, x, spans)}
<h2>KPI timeline</h2>
<div class="meta">Share of each column's running time the KPI held: green all of it, red none; grey: not running.</div>
${kpiTimeline(data, x, spans)}
<div id="readout" style="position:fixed;display:none;pointer-events:none;background:#fff;border:1px solid #999;padding:4px 8px;font-size:12px;white-space:pre"></div>
<script>${readoutScript(data)}</script>
</body></html>
`;
}

// ---- charts ---------------------------------------------------------------------------------------------------

type Scale = (time: number) => number;

function priceChart(data: ReportData, config: BotConfig, x: Scale, spans: string): string {
  const height = 320;
  const { minSpread, maxSpread } = config.band;
  const values: number[] = [];
  for (const b of data.buckets) {
    if (b.reference !== null) values.push(b.reference * (1 - maxSpread * 1.25), b.reference * (1 + maxSpread * 1.25));
  }
  if (values.length === 0) return `<p>No reference price during the replay.</p>`;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const y = (price: number) => 10 + (1 - (price - lo) / Math.max(hi - lo, 1e-12)) * (height - 40);
  const parts = [
    bandArea(data.buckets, x, (b) => (b.reference === null ? null : [y(b.reference * (1 + maxSpread)), y(b.reference * (1 + minSpread))]), data.bucketMs),
    bandArea(data.buckets, x, (b) => (b.reference === null ? null : [y(b.reference * (1 - minSpread)), y(b.reference * (1 - maxSpread))]), data.bucketMs),
    stepLine(data.buckets, x, (b) => nullable(b.bidHigh, y), COLOURS.bid, 1, data.bucketMs),
    stepLine(data.buckets, x, (b) => nullable(b.askLow, y), COLOURS.ask, 1, data.bucketMs),
    stepLine(data.buckets, x, (b) => nullable(b.reference, y), COLOURS.reference, 1.5, data.bucketMs),
    quoteMarks(data.buckets, x, (b) => [nullable(b.ourBidLow, y), nullable(b.ourBidHigh, y)], COLOURS.ourBid, data.bucketMs),
    quoteMarks(data.buckets, x, (b) => [nullable(b.ourAskLow, y), nullable(b.ourAskHigh, y)], COLOURS.ourAsk, data.bucketMs),
    fillMarks(data, x, y),
  ];
  return svg(height, spans, parts.join(""), yAxis(lo, hi, y, height, (v) => v.toPrecision(7)), timeAxis(data, x, height));
}

function distanceChart(data: ReportData, config: BotConfig, x: Scale, spans: string): string {
  const height = 240;
  const { minSpread, maxSpread } = config.band;
  const limit = maxSpread * 1.6;
  const y = (fraction: number) => 10 + (1 - (Math.max(-limit, Math.min(limit, fraction)) + limit) / (2 * limit)) * (height - 40);
  const span = (range: Range | null): [number | null, number | null] => (range ? [y(range.low), y(range.high)] : [null, null]);
  const band = (from: number, to: number) => `<rect x="${LEFT}" width="${PLOT}" y="${y(to)}" height="${y(from) - y(to)}" fill="${COLOURS.band}"/>`;
  const parts = [
    band(minSpread, maxSpread),
    band(-maxSpread, -minSpread),
    `<line x1="${LEFT}" x2="${LEFT + PLOT}" y1="${y(0)}" y2="${y(0)}" stroke="${COLOURS.reference}" stroke-width="1.5"/>`,
    quoteMarks(data.buckets, x, (b) => span(b.bidDistance), COLOURS.bid, data.bucketMs, 0.55),
    quoteMarks(data.buckets, x, (b) => span(b.askDistance), COLOURS.ask, data.bucketMs, 0.55),
    quoteMarks(data.buckets, x, (b) => span(b.ourBidDistance), COLOURS.ourBid, data.bucketMs),
    quoteMarks(data.buckets, x, (b) => span(b.ourAskDistance), COLOURS.ourAsk, data.bucketMs),
  ];
  return svg(height, spans, parts.join(""), yAxis(-limit, limit, y, height, (v) => `${(v * 100).toFixed(2)}%`), timeAxis(data, x, height));
}

function kpiTimeline(data: ReportData, x: Scale, spans: string): string {
  const rows: [string, (b: ReportBucket) => number][] = [
    ["spread compliance", (b) => b.compliantMs],
    ["two-sided", (b) => b.twoSidedMs],
    ["depth", (b) => b.depthMs],
  ];
  const rowHeight = 26;
  const height = rows.length * (rowHeight + 8) + 40;
  const cells: string[] = [];
  rows.forEach(([label, held], row) => {
    const top = 10 + row * (rowHeight + 8);
    cells.push(`<text x="${LEFT - 8}" y="${top + rowHeight / 2 + 4}" text-anchor="end">${label}</text>`);
    // Runs of one colour as one rectangle: no seams between columns, and a smaller page.
    let runStart = 0;
    let runFill = "";
    const flush = (endTime: number) => {
      if (runFill) cells.push(`<rect x="${x(runStart).toFixed(1)}" y="${top}" width="${(x(endTime) - x(runStart)).toFixed(1)}" height="${rowHeight}" fill="${runFill}"/>`);
    };
    for (const b of data.buckets) {
      const fill = b.runningMs <= 0 ? "#ccc" : shade(held(b) / b.runningMs);
      if (fill === runFill) continue;
      flush(b.time);
      runStart = b.time;
      runFill = fill;
    }
    flush(Math.min(data.end, (data.buckets[data.buckets.length - 1]?.time ?? data.start) + data.bucketMs));
  });
  return svg(height, spans, cells.join(""), "", timeAxis(data, x, height));
}

/**
 * A small inline script: over any chart, a box with the column's time and figures under the mouse. The columns'
 * figures travel as one compact JSON array; nothing is fetched.
 */
function readoutScript(data: ReportData): string {
  const round = (v: number | null, digits = 8) => (v === null ? null : Number(v.toPrecision(digits)));
  const share = (held: number, b: ReportBucket) => (b.runningMs > 0 ? Math.round((1000 * held) / b.runningMs) / 10 : null);
  const columns = data.buckets.map((b) => [b.time, round(b.reference), round(b.bidHigh), round(b.askLow), round(b.ourBidHigh), round(b.ourAskLow), share(b.compliantMs, b), share(b.twoSidedMs, b), b.fills]);
  return `(function(){var c=${JSON.stringify(columns)},s=${data.start},w=${Math.max(1, data.end - data.start)},L=${LEFT},P=${PLOT},r=document.getElementById("readout");
function f(v){return v===null?"n/a":String(v)}
document.querySelectorAll("svg").forEach(function(g){g.addEventListener("mousemove",function(e){var b=g.getBoundingClientRect(),x=(e.clientX-b.left)*${WIDTH}/b.width;
if(x<L||x>L+P){r.style.display="none";return}var t=s+(x-L)/P*w,i=Math.min(c.length-1,Math.max(0,Math.floor((t-s)/${data.bucketMs}))),k=c[i];
r.textContent=new Date(k[0]).toISOString().replace("T"," ").slice(0,23)+" UTC\\nreference "+f(k[1])+"\\nmarket bid / ask "+f(k[2])+" / "+f(k[3])+"\\nour bid / ask "+f(k[4])+" / "+f(k[5])+"\\nspread compliance "+f(k[6])+"%, two-sided "+f(k[7])+"%"+(k[8]?"\\nfills "+k[8]:"");
r.style.left=(e.clientX+14)+"px";r.style.top=(e.clientY+14)+"px";r.style.display="block"});g.addEventListener("mouseleave",function(){r.style.display="none"})})})();`;
}

// ---- chart parts ----------------------------------------------------------------------------------------------

function svg(height: number, spans: string, body: string, yAxisMarks: string, xAxisMarks: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
<rect x="${LEFT}" y="0" width="${PLOT}" height="${height - 30}" fill="#fafafa" stroke="#ddd"/>${body}${spans.replaceAll("HEIGHT", String(height - 30))}${yAxisMarks}${xAxisMarks}</svg>`;
}

function stepLine(buckets: readonly ReportBucket[], x: Scale, value: (b: ReportBucket) => number | null, colour: string, width: number, bucketMs: number): string {
  const paths: string[] = [];
  let path = "";
  for (const b of buckets) {
    const y = value(b);
    if (y === null) {
      if (path) paths.push(path);
      path = "";
      continue;
    }
    const x0 = x(b.time).toFixed(1);
    const x1 = x(b.time + bucketMs).toFixed(1);
    path += `${path ? "L" : "M"}${x0} ${y.toFixed(1)}L${x1} ${y.toFixed(1)}`;
  }
  if (path) paths.push(path);
  return paths.map((d) => `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}"/>`).join("");
}

function bandArea(buckets: readonly ReportBucket[], x: Scale, range: (b: ReportBucket) => [number, number] | null, bucketMs: number): string {
  const rects: string[] = [];
  for (const b of buckets) {
    const r = range(b);
    if (!r) continue;
    rects.push(`M${x(b.time).toFixed(1)} ${r[0].toFixed(1)}H${x(b.time + bucketMs).toFixed(1)}V${r[1].toFixed(1)}H${x(b.time).toFixed(1)}Z`);
  }
  return `<path d="${rects.join("")}" fill="${COLOURS.band}" stroke="none"/>`;
}

/** Our quotes: a bar per column from the side's outermost to its innermost open price. */
function quoteMarks(buckets: readonly ReportBucket[], x: Scale, range: (b: ReportBucket) => [number | null, number | null], colour: string, bucketMs: number, opacity = 1): string {
  let d = "";
  for (const b of buckets) {
    const [a, c] = range(b);
    if (a === null || c === null) continue;
    const top = Math.min(a, c) - 1.2;
    const bottom = Math.max(a, c) + 1.2;
    d += `M${x(b.time).toFixed(1)} ${top.toFixed(1)}H${x(b.time + bucketMs).toFixed(1)}V${bottom.toFixed(1)}H${x(b.time).toFixed(1)}Z`;
  }
  return `<path d="${d}" fill="${colour}" fill-opacity="${opacity}" stroke="none"/>`;
}

function fillMarks(data: ReportData, x: Scale, y: (price: number) => number): string {
  return data.fills
    .slice(0, 2_000)
    .map((f) => {
      const cx = x(f.time);
      const cy = y(f.price);
      const points = f.side === "BUY" ? `${cx - 6},${cy + 9} ${cx + 6},${cy + 9} ${cx},${cy}` : `${cx - 6},${cy - 9} ${cx + 6},${cy - 9} ${cx},${cy}`;
      return `<polygon points="${points}" fill="${f.side === "BUY" ? COLOURS.ourBid : COLOURS.ourAsk}" stroke="#fff"><title>fill ${f.side} at ${f.price} (${utc(f.time)})</title></polygon>`;
    })
    .join("");
}

/**
 * Every episode as a tick in a strip along the top of each chart, and those at least a pixel long also as a red
 * column over the chart at their true width: a long tape's thousands of 20 ms episodes do not paint it all red.
 * Ticks and columns that share a pixel are merged, so the page stays small.
 */
function episodeSpans(episodes: readonly Episode[], x: Scale): string {
  const merge = (spans: [number, number][], from: number, to: number) => {
    const last = spans[spans.length - 1];
    if (last && from <= last[1] + 0.5) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
  };
  const ticks: [number, number][] = [];
  const columns: [number, number][] = [];
  for (const e of episodes) {
    const from = x(e.start);
    const to = x(e.end);
    merge(ticks, from, Math.max(to, from + 1));
    if (to - from >= 1) merge(columns, from, to);
  }
  const rect = (from: number, to: number, y: string, height: string, fill: string) =>
    `<rect x="${from.toFixed(1)}" y="${y}" width="${(to - from).toFixed(1)}" height="${height}" fill="${fill}"/>`;
  return [...columns.map(([from, to]) => rect(from, to, "0", "HEIGHT", COLOURS.breach)), ...ticks.map(([from, to]) => rect(from, to, "0", "7", COLOURS.breachTick))].join("");
}

function yAxis(lo: number, hi: number, y: (v: number) => number, height: number, label: (v: number) => string): string {
  const marks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    marks.push(`<line x1="${LEFT - 4}" x2="${LEFT}" y1="${y(v)}" y2="${y(v)}" stroke="#888"/><text x="${LEFT - 8}" y="${y(v) + 4}" text-anchor="end">${label(v)}</text>`);
  }
  return height > 0 ? marks.join("") : "";
}

function timeAxis(data: ReportData, x: Scale, height: number): string {
  const marks: string[] = [];
  const span = data.end - data.start;
  for (let i = 0; i <= 8; i++) {
    const time = data.start + (span * i) / 8;
    const label = span > 86_400_000 ? utc(time).slice(5, 16) : utc(time).slice(11, 19);
    const anchor = i === 0 ? "start" : i === 8 ? "end" : "middle";
    marks.push(`<text x="${x(time)}" y="${height - 10}" text-anchor="${anchor}">${label}</text>`);
  }
  return marks.join("");
}

// ---- tables ---------------------------------------------------------------------------------------------------

function kpiTable(report: ReplayReport): string {
  const rows = Object.entries(report).map(([name, value]) => `<tr><td>${escape(name)}</td><td class="num">${formatValue(name, value)}</td></tr>`);
  return `<table><tr><th>KPI</th><th>value</th></tr>${rows.join("")}</table>`;
}

function episodeTable(data: ReportData): string {
  const total = data.episodes.reduce((sum, e) => sum + (e.end - e.start), 0);
  const longest = [...data.episodes].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 12);
  const rows = longest.map((e) => `<tr><td>${utc(e.start).slice(11, 23)}</td><td class="num">${duration(e.end - e.start)}</td></tr>`);
  return `<table><tr><th colspan="2">breach episodes: ${data.episodeCount}, ${duration(total)} in all${data.episodeCount > data.episodes.length ? ` (first ${data.episodes.length} drawn)` : ""}</th></tr>
<tr><th>longest, start (UTC)</th><th>length</th></tr>${rows.join("") || `<tr><td colspan="2">none</td></tr>`}</table>`;
}

/** Report fields that are fractions of a whole, shown as percentages (the rest are counts, rates or times). */
const FRACTIONS = /(Compliance|twoSided|Share|Rate|Time)$/;

function formatValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "number") {
    if (/Ms$/.test(name)) return `${duration(value)}`;
    if (FRACTIONS.test(name) || name === "twoSided") return `${(value * 100).toFixed(3)}%`;
    return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => `${escape(key)} ${typeof v === "number" ? v.toLocaleString("en-US") : escape(String(v))}`)
      .join(", ");
  }
  return escape(typeof value === "string" ? value : JSON.stringify(value));
}

function legend(items: [string, string][]): string {
  return items.map(([colour, label]) => `<span><i class="sw" style="background:${colour}"></i>${escape(label)}</span>`).join("");
}

function shade(share: number): string {
  // Green when the KPI held the whole column, through amber to red when it never did.
  const s = Math.max(0, Math.min(1, share));
  if (s >= 0.9999) return "#3aa655";
  const hue = Math.round(40 * s);
  return `hsl(${hue},80%,${50 + 10 * s}%)`;
}

const nullable = (value: number | null, f: (v: number) => number): number | null => (value === null ? null : f(value));
const pct = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;
const utc = (time: number) => new Date(time).toISOString().replace("T", " ").replace("Z", "");

function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(2)} h`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}
