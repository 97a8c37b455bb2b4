import { describe, expect, it } from "vitest";
import { dec } from "../src/money";
import { KpiFactParseError, KpiTracker, parseKpiFact, serializeKpiFact, type KpiFact, type KpiSettings } from "../src/kpi";

const settings: KpiSettings = { band: { minSpread: 0.002, maxSpread: 0.004 }, minNotional: "10000", driftThreshold: 0.0006 };

const facts: KpiFact[] = [
  { type: "RUNNING", time: 0, running: true },
  { type: "REFERENCE", time: 0, price: dec("100"), targets: { BUY: [dec("99.68")], SELL: [dec("100.32")] } },
  { type: "ORDER_ACKED", time: 1.5, clientOrderId: "b", side: "BUY", price: dec("99.68"), qty: dec("105") },
  { type: "ORDER_ACKED", time: 2, clientOrderId: "a", side: "SELL", price: dec("100.32"), qty: dec("105") },
  { type: "REFERENCE", time: 500, price: dec("99.8") },
  { type: "MARKET_EVENT", time: 500 },
  { type: "ORDER_ACKED", time: 510, clientOrderId: "b2", side: "BUY", price: dec("99.48"), qty: dec("106") },
  { type: "ORDER_CANCELED", time: 515, clientOrderId: "b" },
  { type: "ORDER_CANCELED", time: 520, clientOrderId: "a" },
  { type: "ORDER_FILLED", time: 600, clientOrderId: "b2", price: dec("99.48"), qty: dec("1") },
  { type: "ORDER_EXPIRED", time: 700, clientOrderId: "b2" },
  { type: "SETTINGS", time: 800, settings: { ...settings, minNotional: "12000" } },
  { type: "REFERENCE", time: 900, price: null },
  { type: "RUNNING", time: 1_000, running: false },
];

describe("KPI fact log", () => {
  it("round-trips every fact through a JSON line", () => {
    for (const fact of facts) {
      const line = serializeKpiFact(fact);
      expect(line).not.toContain("\n");
      expect(serializeKpiFact(parseKpiFact(line))).toBe(line);
    }
    expect(serializeKpiFact(facts[2]!)).toBe('{"type":"ORDER_ACKED","time":1.5,"clientOrderId":"b","side":"BUY","price":"99.68","qty":"105"}');
  });

  it("recomputes the same buckets from the log", () => {
    const live = new KpiTracker("bot", settings);
    const fromLog = new KpiTracker("bot", settings);
    for (const fact of facts) {
      live.record(fact);
      fromLog.record(parseKpiFact(serializeKpiFact(fact)));
    }
    const expected = live.drainAll(2_000);
    // Episodes [0, 2) before both sides were acked and [500, 1000): the move, then no ask after 520, until the stop.
    expect(expected[0]).toMatchObject({ latencyCount: 2, latencySumMs: 502, latencyMaxMs: 500 });
    expect(fromLog.drainAll(2_000)).toEqual(expected);
  });

  it.each([
    ["not JSON", "{"],
    ["an unknown fact", '{"type":"ORDER_AMENDED","time":1}'],
    ["a number for a price", '{"type":"ORDER_ACKED","time":1,"clientOrderId":"b","side":"BUY","price":99.5,"qty":"1"}'],
  ])("rejects %s", (_name, line) => {
    expect(() => parseKpiFact(line)).toThrow(KpiFactParseError);
  });
});
