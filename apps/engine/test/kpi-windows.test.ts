// The trailing KPI windows behind bandkeeper_bot_kpi_ratio: deltas fall out of a window as it moves on, each window
// is core's summary of what it holds, a bot without running time has no value, and gauges go with the bot.
import { emptyKpiBucket, type KpiMinuteBucket } from "@bandkeeper/core";
import { describe, expect, it } from "vitest";
import { KpiWindows } from "../src/observability/kpi-windows";
import { EngineMetrics } from "../src/observability/metrics";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function delta(overrides: Partial<KpiMinuteBucket> = {}): KpiMinuteBucket {
  return {
    ...emptyKpiBucket("b1", T0),
    runningMs: 1_000,
    spreadCompliantMs: 1_000,
    twoSidedMs: 1_000,
    depthMs: 1_000,
    ...overrides,
  };
}

describe("KpiWindows", () => {
  it("each window sums what was drained within it; older deltas leave the short windows first", () => {
    const windows = new KpiWindows();
    // 30 minutes ago: a second running, never two-sided. Now: a second running, two-sided.
    windows.add("b1", [delta({ twoSidedMs: 0 })], T0 - 30 * 60_000);
    windows.add("b1", [delta()], T0);

    expect(windows.summary("b1", 60_000, T0)?.twoSided).toBe(1);
    expect(windows.summary("b1", 300_000, T0)?.twoSided).toBe(1);
    expect(windows.summary("b1", 3_600_000, T0)?.twoSided).toBe(0.5);
    expect(windows.summary("b1", 3_600_000, T0)?.runningMs).toBe(2_000);

    // Two hours on, nothing is left.
    expect(windows.summary("b1", 3_600_000, T0 + 2 * 3_600_000)).toBeUndefined();
  });

  it("no running time, no value (a ratio of nothing is not 0%)", () => {
    const windows = new KpiWindows();
    windows.add("b1", [delta({ runningMs: 0, spreadCompliantMs: 0, twoSidedMs: 0, depthMs: 0 })], T0);
    expect(windows.summary("b1", 60_000, T0)).toBeUndefined();
    expect(windows.summary("unknown", 60_000, T0)).toBeUndefined();
  });

  it("the fill rate is filled over placed orders", () => {
    const windows = new KpiWindows();
    windows.add("b1", [delta({ ordersPlaced: 200, ordersFilled: 1 })], T0);
    expect(windows.summary("b1", 60_000, T0)?.passiveFillRate).toBe(0.005);
  });
});

describe("EngineMetrics per-bot gauges", () => {
  it("reports the windows with bot and symbol, and forgets a bot's gauges (not its counters) once it is handed on", async () => {
    const metrics = new EngineMetrics();
    metrics.botStarted({ bot: "b1", name: "desk/BTCUSDT", account: "desk", symbol: "BTCUSDT" });
    metrics.setBotState("b1", "BTCUSDT", "QUOTING");
    metrics.recordKpis("b1", "BTCUSDT", [delta({ spreadCompliantMs: 500 })]);
    metrics.orders.inc({ bot: "b1", symbol: "BTCUSDT", side: "BUY" });

    const text = await metrics.registry.metrics();
    expect(text).toContain('bandkeeper_bot_info{bot="b1",name="desk/BTCUSDT",account="desk",symbol="BTCUSDT"} 1');
    expect(text).toContain('bandkeeper_bot_kpi_ratio{bot="b1",symbol="BTCUSDT",kpi="spread_compliance",window="1m"} 0.5');
    expect(text).toContain('bandkeeper_bot_kpi_ratio{bot="b1",symbol="BTCUSDT",kpi="two_sided",window="1h"} 1');
    expect(text).toContain('bandkeeper_bot_kpi_running_seconds{bot="b1",symbol="BTCUSDT",window="5m"} 1');

    metrics.forgetBot("b1");
    const after = await metrics.registry.metrics();
    expect(after).not.toMatch(/^bandkeeper_bot_(info|state|kpi_ratio|kpi_running_seconds)\{/m);
    expect(after).toContain('bandkeeper_orders_total{bot="b1",symbol="BTCUSDT",side="BUY"} 1');
  });

  it("a bot started again (after a fault) keeps the states its new run reported before it was up", async () => {
    const metrics = new EngineMetrics();
    metrics.botStarted({ bot: "b1", name: "desk/BTCUSDT", account: "desk", symbol: "BTCUSDT" });
    metrics.setBotState("b1", "BTCUSDT", "FAULTED");
    metrics.setBotState("b1", "BTCUSDT", "STARTING");
    metrics.botStarted({ bot: "b1", name: "desk/BTCUSDT", account: "desk", symbol: "BTCUSDT" });
    const text = await metrics.registry.metrics();
    expect(text).toContain('bandkeeper_bot_state{bot="b1",symbol="BTCUSDT",state="STARTING"} 1');
    expect(text.match(/^bandkeeper_bot_info\{/gm)).toHaveLength(1);
  });

  it("journal counters grow by what changed between flushes", async () => {
    const metrics = new EngineMetrics();
    metrics.recordJournal({ pending: 12, failedFlushes: 2, setAside: 0 });
    metrics.recordJournal({ pending: 0, failedFlushes: 3, setAside: 1 });
    const text = await metrics.registry.metrics();
    expect(text).toContain("bandkeeper_journal_pending 0");
    expect(text).toContain("bandkeeper_journal_failed_flushes_total 3");
    expect(text).toContain("bandkeeper_journal_records_set_aside_total 1");
  });
});
