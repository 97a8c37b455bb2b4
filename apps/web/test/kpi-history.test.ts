// KPI history through the real router against a real database: the charts' series for every range (minute rows for
// the short ones, hour rollups for the long ones, a custom range), and the CSV exports row by row against the
// buckets seeded here.
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KPI_CSV_COLUMNS, kpiCsv } from "../src/server/kpis/csv";
import { customWindow } from "../src/server/kpis/windows";
import { createCaller } from "../src/server/routers";
import { createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const floor = (time: number, unit: number) => Math.floor(time / unit) * unit;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

let database: TestDatabase;
let botId: string;
let call: ReturnType<typeof createCaller>;
const now = Date.now();

// 30 days of hour rollups, each with its own counts, so a row in the wrong place or summed twice shows.
const hourRows = Array.from({ length: 30 * 24 }, (_, i) => ({
  hour: floor(now, HOUR) - i * HOUR,
  runningMs: 3_600_000 - (i % 5) * 1_000,
  compliantMs: 3_590_000 - (i % 5) * 1_000,
  ordersPlaced: 100 + (i % 7),
  ordersFilled: i % 3,
}));
// The last 3 hours of minute rows.
const minuteRows = Array.from({ length: 180 }, (_, i) => ({
  minute: floor(now, MINUTE) - i * MINUTE,
  runningMs: 60_000,
  compliantMs: 60_000 - (i % 4) * 100,
  ordersPlaced: 2 + (i % 3),
  // Every other minute without a response measured: its latency is null, which the chart steps over.
  latencyCount: i % 2,
}));

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_kpi_history");
  const desk = await createOtherTeam(database.prisma, { symbol: "BTCUSDT" });
  botId = desk.botId;
  call = createCaller({ db: database.prisma, user: desk.owner });
  await database.prisma.kpiHourBucket.createMany({
    data: hourRows.map((row) => ({
      botId,
      hour: new Date(row.hour),
      runningMs: row.runningMs,
      compliantMs: row.compliantMs,
      twoSidedMs: row.runningMs,
      depthMs: row.runningMs,
      ordersPlaced: row.ordersPlaced,
      ordersDepthOk: row.ordersPlaced,
      ordersFilled: row.ordersFilled,
      placedNotional: "1000",
      latencyCount: 10,
      latencySumMs: 200,
      latencyMaxMs: 40,
      latencyHistogram: [0, 0, 10],
    })),
  });
  await database.prisma.kpiBucket.createMany({
    data: minuteRows.map((row) => ({
      botId,
      minute: new Date(row.minute),
      runningMs: row.runningMs,
      compliantMs: row.compliantMs,
      twoSidedMs: row.runningMs,
      depthMs: row.runningMs,
      ordersPlaced: row.ordersPlaced,
      ordersDepthOk: row.ordersPlaced,
      latencyCount: row.latencyCount,
      latencySumMs: row.latencyCount * 20,
      latencyMaxMs: row.latencyCount * 20,
      latencyHistogram: [0, row.latencyCount],
    })),
  });
});

afterAll(async () => {
  await database?.drop();
});

/** The CSV as records by column name, the TOTAL row apart. */
function parseCsv(csv: string) {
  const [header, ...lines] = csv.trimEnd().split("\r\n");
  expect(header?.split(",")).toEqual([...KPI_CSV_COLUMNS]);
  type CsvRecord = Record<(typeof KPI_CSV_COLUMNS)[number], string>;
  const records = lines.map((line) => Object.fromEntries(line.split(",").map((value, i) => [KPI_CSV_COLUMNS[i], value])) as CsvRecord);
  const total = records.pop();
  expect(total?.period_start_utc).toBe("TOTAL");
  return { rows: records, total };
}

describe("the KPI export's rows", () => {
  it("the hourly CSV holds one row per seeded hour of the days asked for, with that hour's numbers", async () => {
    const from = dayOf(now - 6 * DAY);
    const exported = await call.bots.kpiExport({ botId, from, to: dayOf(now), resolution: "hour" });
    const expected = hourRows.filter((row) => row.hour >= Date.parse(`${from}T00:00:00Z`)).sort((a, b) => a.hour - b.hour);
    expect(expected.length).toBeGreaterThan(6 * 24);
    const { rows, total } = parseCsv(kpiCsv(exported.buckets));
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      const seeded = expected[i]!;
      expect(row.period_start_utc).toBe(new Date(seeded.hour).toISOString());
      expect(Number(row.running_ms)).toBe(seeded.runningMs);
      expect(Number(row.spread_compliant_ms)).toBe(seeded.compliantMs);
      expect(Number(row.spread_compliance)).toBe(seeded.compliantMs / seeded.runningMs);
      expect(Number(row.orders_placed)).toBe(seeded.ordersPlaced);
      expect(Number(row.orders_filled)).toBe(seeded.ordersFilled);
    });
    expect(Number(total?.orders_placed)).toBe(expected.reduce((sum, row) => sum + row.ordersPlaced, 0));
  });

  it("the daily CSV holds one row per UTC day, each the sum of that day's hour rows", async () => {
    const from = dayOf(now - 20 * DAY);
    const exported = await call.bots.kpiExport({ botId, from, to: dayOf(now), resolution: "day" });
    const { rows } = parseCsv(kpiCsv(exported.buckets));
    expect(rows).toHaveLength(21);
    rows.forEach((row, i) => {
      const dayStart = Date.parse(`${from}T00:00:00Z`) + i * DAY;
      const hours = hourRows.filter((seeded) => seeded.hour >= dayStart && seeded.hour < dayStart + DAY);
      expect(row.period_start_utc).toBe(new Date(dayStart).toISOString());
      expect(Number(row.running_ms)).toBe(hours.reduce((sum, seeded) => sum + seeded.runningMs, 0));
      expect(Number(row.orders_placed)).toBe(hours.reduce((sum, seeded) => sum + seeded.ordersPlaced, 0));
      expect(Number(row.episode_count)).toBe(hours.length * 10);
    });
  });

  it("the minute CSV holds the seeded minutes of today", async () => {
    const exported = await call.bots.kpiExport({ botId, from: dayOf(now), to: dayOf(now), resolution: "minute" });
    const today = minuteRows.filter((row) => dayOf(row.minute) === dayOf(now)).sort((a, b) => a.minute - b.minute);
    const { rows } = parseCsv(kpiCsv(exported.buckets));
    expect(rows.map((row) => [row.period_start_utc, Number(row.spread_compliant_ms), Number(row.orders_placed)])).toEqual(
      today.map((row) => [new Date(row.minute).toISOString(), row.compliantMs, row.ordersPlaced]),
    );
  });

  it("refuses a daily export longer than ten years, naming the field", async () => {
    const error = await rejection(call.bots.kpiExport({ botId, from: "2010-01-01", to: "2026-01-01", resolution: "day" }));
    expect(error.message).toContain("at most 3660 days");
  });
});

describe("the charts' series", () => {
  it("24 h: 15-minute points from the minute rows", async () => {
    const series = await call.bots.kpiSeries({ botId, range: "24h" });
    expect(series.pointMs).toBe(15 * MINUTE);
    // 180 minutes fall into 12 or 13 quarter hours.
    expect(series.points.length).toBeGreaterThanOrEqual(12);
    expect(series.points.length).toBeLessThanOrEqual(13);
    expect(series.total.runningMs).toBe(180 * 60_000);
    expect(series.total.ordersPlaced).toBe(minuteRows.reduce((sum, row) => sum + row.ordersPlaced, 0));
  });

  it("7 d and 30 d: hourly and 6-hour points from the hour rollups", async () => {
    const week = await call.bots.kpiSeries({ botId, range: "7d" });
    expect(week.pointMs).toBe(HOUR);
    expect(week.points).toHaveLength(7 * 24);
    const newest = hourRows[0]!;
    expect(week.points.at(-1)?.start.getTime()).toBe(newest.hour);
    expect(week.points.at(-1)?.summary.spreadCompliance).toBe(newest.compliantMs / newest.runningMs);
    const month = await call.bots.kpiSeries({ botId, range: "30d" });
    expect(month.pointMs).toBe(6 * HOUR);
    expect(month.points.length).toBeGreaterThanOrEqual(120);
    expect(month.points.length).toBeLessThanOrEqual(121);
    const inWindow = hourRows.filter((row) => row.hour >= month.from.getTime());
    expect(month.total.runningMs).toBe(inWindow.reduce((sum, row) => sum + row.runningMs, 0));
  });

  it("1 h: one point per minute, each with its running time", async () => {
    const hour = await call.bots.kpiSeries({ botId, range: "1h" });
    expect(hour.points).toHaveLength(60);
    expect(hour.points.every((point) => point.summary.runningMs === 60_000)).toBe(true);
  });

  it("a custom range of three days reads hour rollups in hourly points; one of six hours reads minute rows", async () => {
    const from = new Date(now - 3 * DAY);
    const long = await call.bots.kpiSeries({ botId, range: "custom", from, to: new Date(now) });
    expect(long.pointMs).toBe(HOUR);
    expect(long.from.getTime()).toBe(floor(from.getTime(), HOUR));
    expect(long.points.length).toBeGreaterThanOrEqual(72);
    const short = await call.bots.kpiSeries({ botId, range: "custom", from: new Date(now - 6 * HOUR), to: new Date(now) });
    expect(short.pointMs).toBe(5 * MINUTE);
    expect(short.total.runningMs).toBe(180 * 60_000);
  });

  it("refuses a custom range without an end, or one that ends before it starts, naming the field", async () => {
    const missing = await rejection(call.bots.kpiSeries({ botId, range: "custom", from: new Date(now - HOUR) }));
    expect(missing.message).toContain("is needed for a custom range");
    const backwards = await rejection(call.bots.kpiSeries({ botId, range: "custom", from: new Date(now), to: new Date(now - HOUR) }));
    expect(backwards.message).toContain("must be after from");
  });
});

describe("customWindow", () => {
  it.each([
    [30 * MINUTE, "minute", MINUTE],
    [6 * HOUR, "minute", 5 * MINUTE],
    [2 * DAY, "minute", 15 * MINUTE],
    [3 * DAY, "hour", HOUR],
    [30 * DAY, "hour", 3 * HOUR],
    [366 * DAY, "hour", 7 * DAY],
  ] as const)("a range of %d ms reads %s rows in points of %d ms", (length, resolution, pointMs) => {
    const to = new Date(Date.UTC(2026, 11, 3, 7, 30));
    const window = customWindow(new Date(to.getTime() - length), to);
    expect(window).toMatchObject({ resolution, pointMs });
    expect((window.to.getTime() - window.from.getTime()) / pointMs).toBeLessThanOrEqual(241);
  });
});
