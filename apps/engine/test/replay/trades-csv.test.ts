// The CSV path: a data.binance.vision trades file has no book, so both the bot and the exchange see a one-level
// book around each print. Fast, and a check that the trade-only input runs the same kernel end to end.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defaultBotConfig, parseBotConfig, type BotLogEntry } from "@bandkeeper/core";
import { describe, expect, it } from "vitest";
import { EVENT_LOG_VERSION, eventLogLine } from "../../src/audit/event-log";
import { loadRecording } from "../../src/replay/recording";
import { simulateReplay } from "../../src/replay/run-replay";
import { auditEventLog } from "./audit-checker";
import { FIXTURES } from "./cli-runner";

const SAMPLE = resolve(FIXTURES, "BTCUSDT-trades-2024-08-08-sample.csv");

describe("replay of a data.binance.vision trades CSV", () => {
  it("quotes both sides through the recording and reports the same numbers every run", async () => {
    const recording = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
    expect(recording.format).toBe("trades");
    const trades = recording.botEvents.filter((e) => e.kind === "trade");
    expect(trades).toHaveLength(3_000);

    const first = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig });
    const second = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig });
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));
    expect(first.report.runningMs).toBe(Math.floor(recording.end) - Math.floor(recording.start));
    expect(first.report.ordersPlaced).toBeGreaterThanOrEqual(2);
    expect(first.report.twoSided).toBeGreaterThan(0.9);
    expect(first.report.depthOrderShare).toBe(1);
  }, 60_000);

  it("reads an aggTrades file (header, µs times) as one trade per aggregate", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bk-aggtrades-"));
    try {
      // The sample's first 500 trades as aggTrades rows, in the 2025+ microsecond layout with a header.
      const rows = (await readFile(SAMPLE, "utf8")).trim().split("\n").slice(0, 500).map((line) => {
        const [id, price, qty, , time, buyerMaker] = line.split(",");
        return [id, price, qty, id, id, `${time}000`, buyerMaker, "true"].join(",");
      });
      const file = join(dir, "BTCUSDT-aggTrades-sample.csv");
      await writeFile(file, ["agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match", ...rows].join("\n"));
      const recording = await loadRecording([file], "BTCUSDT", "0.01");
      expect(recording.format).toBe("aggTrades");
      expect(recording.botEvents.filter((e) => e.kind === "trade")).toHaveLength(500);
      const csv = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
      expect(recording.start).toBe(csv.start);
      const report = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig }).report;
      expect(report.ordersPlaced).toBeGreaterThanOrEqual(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fills a band set inside the market's moves, reports the fills and still audits exactly", async () => {
    const parsed = parseBotConfig({
      band: { minSpread: 0.0001, maxSpread: 0.0003 },
      hysteresis: { innerMargin: 0.00002, driftThreshold: 0.0001 },
      fillAvoidance: { volatilityWidenFactor: 0, sweepWiden: 0 },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const entries: BotLogEntry[] = [];
    const result = simulateReplay(await loadRecording([SAMPLE], "BTCUSDT", "0.01"), {
      symbol: "BTCUSDT",
      config: parsed.config,
      onLog: (entry) => entries.push(entry),
    });
    const { report } = result;
    const fills = entries.filter((e) => e.kind === "fill");
    expect(report.ordersFilled).toBeGreaterThan(5);
    expect(report.passiveFillRate).toBeGreaterThan(0.05);
    expect(result.counts.fills).toBe(fills.length);
    // Every fill is at the order's own price: the exchange fills resting orders passively.
    const placed = new Map(entries.flatMap((e) => (e.kind === "place" ? [[e.clientOrderId, e.price] as const] : [])));
    for (const fill of fills) expect(fill.price).toBe(placed.get(fill.clientOrderId));

    const header = { kind: "run", version: EVENT_LOG_VERSION, source: "replay", botId: "replay", symbol: "BTCUSDT", config: parsed.config } as const;
    const text = [eventLogLine(header), ...entries.map(eventLogLine), eventLogLine({ kind: "end", time: result.endedAt })].join("");
    const audit = auditEventLog(text);
    expect(audit.twoSided).toBe(report.twoSided);
    expect(audit.spreadCompliance).toBe(report.spreadCompliance);
    expect(audit.ordersAcked).toBe(report.ordersPlaced);
  }, 60_000);

  it("refuses to mix captures and CSVs", async () => {
    await expect(loadRecording([SAMPLE, resolve(FIXTURES, "btcusdt_20240808.gz")], "BTCUSDT", "0.01")).rejects.toThrow(/not both/);
  });
});
