import { describe, expect, it } from "vitest";
import {
  Bot,
  Decimal,
  ManualClock,
  SequentialIdGenerator,
  defaultBotConfig,
  parseBotConfig,
  type BookTop,
  type BotConfig,
  type BotLogEntry,
  type BotPorts,
  type BotState,
  type ExchangeOpenOrder,
  type PlaceRequest,
} from "../src";
import { btcusdt } from "./support/instruments";

const instrument = btcusdt();

type Sent =
  | { kind: "place"; request: PlaceRequest }
  | { kind: "cancel"; clientOrderId: string }
  | { kind: "query"; clientOrderId: string }
  | { kind: "fills"; clientOrderId: string };

function harness(config: BotConfig = defaultBotConfig) {
  const clock = new ManualClock(1_700_000_000_000);
  const sent: Sent[] = [];
  const states: { from: BotState; to: BotState; reason: string | null }[] = [];
  const log: BotLogEntry[] = [];
  const fills: string[] = [];
  let budgetLeft = Infinity;
  /** Priorities the budget refuses (as a spent share of a limit refuses REQUOTE first), and what it was asked. */
  const refused = new Set<string>();
  const asked: string[] = [];
  const ports: BotPorts = {
    clock,
    ids: new SequentialIdGenerator("t-"),
    execution: {
      place: (request) => sent.push({ kind: "place", request }),
      cancel: (_symbol, clientOrderId) => sent.push({ kind: "cancel", clientOrderId }),
      query: (_symbol, clientOrderId) => sent.push({ kind: "query", clientOrderId }),
      fills: (_symbol, clientOrderId) => sent.push({ kind: "fills", clientOrderId }),
    },
    balances: { balances: () => null },
    budget: {
      tryConsume: (kind, _now, priority) => {
        asked.push(`${kind} ${priority ?? "-"}`);
        if (refused.has(`${kind} ${priority}`)) return false;
        return kind === "cancel" || budgetLeft-- > 0;
      },
    },
    sink: {
      order: () => undefined,
      fill: (fill) => fills.push(fill.tradeId),
      state: (from, to, reason) => states.push({ from, to, reason }),
      event: () => undefined,
      log: (entry) => log.push(entry),
    },
  };
  const bot = new Bot({ botId: "bot-1", symbol: "BTCUSDT" }, ports, config, instrument);
  const book = (bid: string, ask: string): BookTop => ({
    bidPrice: new Decimal(bid),
    bidQty: new Decimal("1"),
    askPrice: new Decimal(ask),
    askQty: new Decimal("1"),
    time: clock.now(),
  });
  const trade = (price: string) => bot.onTrade({ price: new Decimal(price), qty: new Decimal("0.01"), time: clock.now(), isBuyerMaker: false });
  const places = () => sent.filter((s): s is Extract<Sent, { kind: "place" }> => s.kind === "place").map((s) => s.request);
  const ackAll = () => places().forEach((p, i) => bot.onPlaceAcknowledged(p.clientOrderId, String(1000 + i)));
  return { bot, clock, sent, states, log, fills, book, trade, places, ackAll, asked, refuse: (what: string) => refused.add(what), setBudget: (n: number) => (budgetLeft = n) };
}

describe("Bot", () => {
  it("cancels orphans found at start, then quotes a bid and an ask inside the band", () => {
    const h = harness();
    const orphan: ExchangeOpenOrder = { clientOrderId: "someone-else", exchangeOrderId: "9", status: "NEW" };
    h.bot.start([orphan]);
    expect(h.sent).toEqual([{ kind: "cancel", clientOrderId: "someone-else" }]);

    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    for (let i = 0; i < 5; i++) h.trade("60000.00");

    const [bid, ask] = [h.places().find((p) => p.side === "BUY")!, h.places().find((p) => p.side === "SELL")!];
    const distance = (p: PlaceRequest) => p.price.minus(60000).abs().div(60000).toNumber();
    expect(distance(bid)).toBeGreaterThanOrEqual(0.002);
    expect(distance(bid)).toBeLessThanOrEqual(0.004);
    expect(distance(ask)).toBeGreaterThanOrEqual(0.002);
    expect(distance(ask)).toBeLessThanOrEqual(0.004);
    expect(bid.price.times(bid.qty).gte(10_000)).toBe(true);
    expect(ask.price.times(ask.qty).gte(10_000)).toBe(true);
    expect(h.places()).toHaveLength(2);
    expect(h.bot.currentState.state).toBe("QUOTING");
  });

  it("places the replacement before cancelling when the market moves out of the band", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    h.ackAll();
    const before = h.sent.length;

    h.clock.advance(50);
    // A 0.3% move: the reference follows the trades, and the old quotes leave the inner band.
    h.bot.onBookTop(h.book("60180.00", "60180.01"));
    for (let i = 0; i < 200; i++) h.trade("60180.00");
    const after = h.sent.slice(before);
    const firstCancel = after.findIndex((s) => s.kind === "cancel");
    const firstPlace = after.findIndex((s) => s.kind === "place");
    expect(firstPlace).toBeGreaterThanOrEqual(0);
    expect(firstCancel).toBeGreaterThan(firstPlace);
  });

  it("records a fill once however often it is reported", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    h.ackAll();
    const bid = h.places().find((p) => p.side === "BUY")!;
    const fill = {
      type: "TRADE" as const,
      clientOrderId: bid.clientOrderId,
      exchangeOrderId: "1000",
      tradeId: "555",
      price: bid.price,
      qty: new Decimal("0.0001"),
      commission: new Decimal(0),
      commissionAsset: "BTC",
      isMaker: true,
    };
    h.bot.onExecutionUpdate(fill);
    h.bot.onExecutionUpdate(fill);
    expect(h.fills).toEqual(["555"]);
  });

  it("resolves an unknown outcome by query with the same client order id and never places it twice", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    const bid = h.places().find((p) => p.side === "BUY")!;
    h.bot.onPlaceOutcomeUnknown(bid.clientOrderId, "-1007 timeout");
    expect(h.sent.at(-1)).toEqual({ kind: "query", clientOrderId: bid.clientOrderId });
    const placesBefore = h.places().length;
    h.trade("60000.00");
    expect(h.places().filter((p) => p.side === "BUY")).toHaveLength(1);
    expect(h.places()).toHaveLength(placesBefore);

    h.bot.onOrderStatus(bid.clientOrderId, { status: "NEW", exchangeOrderId: "77" });
    expect(h.bot.workingOrders().find((o) => o.clientOrderId === bid.clientOrderId)?.status).toBe("NEW");
  });

  it("pauses without quoting and stops once every order is cancelled", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    h.ackAll();
    h.bot.pause("operator");
    expect(h.bot.currentState.state).toBe("PAUSED");
    const cancels = h.sent.filter((s) => s.kind === "cancel");
    expect(cancels).toHaveLength(2);
    const placesBefore = h.places().length;
    h.trade("60000.00");
    expect(h.places()).toHaveLength(placesBefore);

    let stopped = false;
    h.bot.stop("shutdown");
    h.bot.onStopped(() => (stopped = true));
    expect(stopped).toBe(false);
    for (const cancel of cancels) if (cancel.kind === "cancel") h.bot.onCancelAcknowledged(cancel.clientOrderId);
    expect(stopped).toBe(true);
    expect(h.bot.currentState.state).toBe("STOPPED");
  });

  it("keeps quoting a quiet market on a live feed for an hour, with no trade and no book change", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.ackAll();
    expect(h.places()).toHaveLength(2);
    for (let i = 0; i < 3_600; i++) {
      h.clock.advance(1_000);
      h.bot.tick();
    }
    expect(h.bot.currentState.state).toBe("QUOTING");
    expect(h.bot.workingOrders()).toHaveLength(2);
    expect(h.sent.filter((s) => s.kind === "cancel")).toEqual([]);
  });

  it("halts with the host's named reason when the feed is dead, and quotes again when it is live", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.ackAll();
    h.bot.onFeedStatus({ live: false, reason: "market-data connection down for 12 s", time: h.clock.now() });
    expect(h.bot.currentState).toEqual({ state: "HALTED", reason: "STALE_MARKET_DATA: market-data connection down for 12 s" });
    // onStale PULL (the default): both quotes are pulled.
    expect(h.sent.filter((s) => s.kind === "cancel")).toHaveLength(2);
    // While the feed stays dead, ticks report nothing new (once the state has held long enough to be reported).
    for (let i = 0; i < 50; i++) {
      h.clock.advance(100);
      h.bot.tick();
    }
    const reported = h.states.length;
    expect(h.states.at(-1)).toMatchObject({ to: "HALTED" });
    for (let i = 0; i < 20; i++) {
      h.clock.advance(100);
      h.bot.tick();
    }
    expect(h.states).toHaveLength(reported);
    for (const s of h.sent.filter((s) => s.kind === "cancel")) h.bot.onCancelAcknowledged(s.clientOrderId);
    h.bot.onFeedStatus({ live: true, time: h.clock.now() });
    expect(h.places()).toHaveLength(4);
    expect(h.bot.currentState.state).toBe("QUOTING");
  });

  it("holds its quotes through a dead feed with onStale HOLD", () => {
    const config = parseBotConfig({ reference: { onStale: "HOLD" } });
    if (!config.ok) throw new Error("bad test config");
    const h = harness(config.config);
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.ackAll();
    h.bot.onFeedStatus({ live: false, reason: "depth resync failing", time: h.clock.now() });
    expect(h.bot.currentState.state).toBe("HALTED");
    expect(h.sent.filter((s) => s.kind === "cancel")).toEqual([]);
  });

  it("finds a breach episode on a tick, with no market event: the ageing trades move R toward the book", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    // Prints 0.1% above the mid: at first R follows them; as they age their weight halves every 30 s toward the mid.
    for (let i = 0; i < 60; i++) h.trade("60060.00");
    h.ackAll();
    const acked = new Set(h.places().map((p) => p.clientOrderId));
    for (let i = 0; i < 900; i++) {
      h.clock.advance(90);
      h.bot.tick();
      // The exchange answers 10 ms later.
      h.clock.advance(10);
      for (const p of h.places()) {
        if (acked.has(p.clientOrderId)) continue;
        acked.add(p.clientOrderId);
        h.bot.onPlaceAcknowledged(p.clientOrderId, p.clientOrderId);
      }
      for (const c of h.sent) {
        if (c.kind !== "cancel" || acked.has(`x${c.clientOrderId}`)) continue;
        acked.add(`x${c.clientOrderId}`);
        h.bot.onCancelAcknowledged(c.clientOrderId);
      }
    }
    const episodes = h.log.filter((e): e is Extract<BotLogEntry, { kind: "episode" }> => e.kind === "episode");
    const lastMarket = h.clock.now() - 90_000;
    const onTicks = episodes.filter((e) => e.start > lastMarket);
    // The drift was noticed by a tick (ticks fall 90 ms after each 100 ms step from the last market event), and
    // each such episode lasted the 10 ms the answers took.
    expect(onTicks.length).toBeGreaterThan(0);
    for (const e of onTicks) expect([(e.start - lastMarket) % 100, e.end - e.start]).toEqual([90, 10]);
    expect(h.log.filter((e) => e.kind === "place" && e.time > lastMarket && e.reason === "DRIFTED").length).toBeGreaterThan(0);
  });

  it("fetches the trades of an order the exchange reports FILLED without them, and closes it on the trades alone", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.ackAll();
    const bid = h.places().find((p) => p.side === "BUY")!;
    // The user-data stream dropped the trade events; a query answers FILLED.
    h.bot.onOrderStatus(bid.clientOrderId, { status: "FILLED", exchangeOrderId: "1000", executedQty: bid.qty });
    const order = () => h.bot.workingOrders().find((o) => o.clientOrderId === bid.clientOrderId);
    // Not closed on the report (its row can never read FILLED with nothing executed), but leaving: the bid side is
    // quoted again at once, and the KPIs no longer count the order as open.
    expect(order()?.status).toBe("PENDING_CANCEL");
    expect(h.places().filter((p) => p.side === "BUY")).toHaveLength(2);
    expect(h.bot.kpiFlags().twoSided).toBe(false);
    expect(h.sent.filter((s) => s.kind === "fills")).toEqual([{ kind: "fills", clientOrderId: bid.clientOrderId }]);
    const half = bid.qty.div(2);
    const trade = (tradeId: string) => ({ tradeId, price: bid.price, qty: half, commission: new Decimal(0), commissionAsset: "BTC", isMaker: true });
    h.bot.onOrderTrades(bid.clientOrderId, [trade("7"), trade("8")]);
    // Both trades once each (a repeated answer adds nothing), and the order closes FILLED on them.
    h.bot.onOrderTrades(bid.clientOrderId, [trade("7"), trade("8")]);
    expect(order()).toBeUndefined();
    expect(h.fills).toEqual(["7", "8"]);
  });

  it("quotes at once from the book, before any trade (start-up seeding)", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    expect(h.places().map((p) => p.side).sort()).toEqual(["BUY", "SELL"]);
  });

  it("sends nothing the order budget denies", () => {
    const h = harness();
    h.setBudget(1);
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    expect(h.places()).toHaveLength(1);
  });

  it("accounts KPI time while running, two-sided once both quotes are acknowledged, and not while paused", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    h.clock.advance(10);
    h.ackAll();
    h.clock.advance(1_000);
    h.bot.tick();
    h.bot.pause("operator");
    h.clock.advance(5_000);
    h.bot.tick();
    const buckets = h.bot.takeKpis();
    const sum = (field: "runningMs" | "twoSidedMs" | "spreadCompliantMs" | "ordersPlaced" | "ordersDepthOk") =>
      buckets.reduce((total, b) => total + b[field], 0);
    expect(sum("runningMs")).toBe(1_010);
    expect(sum("twoSidedMs")).toBe(1_000);
    expect(sum("spreadCompliantMs")).toBe(1_000);
    expect(sum("ordersPlaced")).toBe(2);
    expect(sum("ordersDepthOk")).toBe(2);
    expect(h.bot.takeKpis().reduce((total, b) => total + b.runningMs, 0)).toBe(0);
  });

  it("cancels an order that left the band even with the new-order budget spent", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.ackAll();
    h.setBudget(0);
    const sentBefore = h.sent.length;
    // R jumps 0.3%: the bid now sits 0.6% below it, outside the band; the ask at 0.02%, too close.
    h.clock.advance(50);
    h.bot.onBookTop(h.book("60180.00", "60180.01"));
    const after = h.sent.slice(sentBefore);
    expect(after.filter((s) => s.kind === "place")).toEqual([]);
    expect(after.filter((s) => s.kind === "cancel")).toHaveLength(2);
    expect(h.asked.filter((a) => a.startsWith("cancel"))).toContain("cancel RESTORE");
  });

  it("restores a missing side while drift requotes are refused, and asks for each with its priority", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    const [bid, ask] = [h.places().find((p) => p.side === "BUY")!, h.places().find((p) => p.side === "SELL")!];
    h.bot.onPlaceAcknowledged(bid.clientOrderId, "1");
    h.bot.onPlaceRejected(ask.clientOrderId, -2010, "Order would immediately match and take.");
    h.refuse("place REQUOTE");
    // R falls 0.08%: the bid (0.32% -> 0.24%, inside the inner band) has drifted, a REQUOTE, refused, so it
    // stays; the missing ask is a RESTORE and goes.
    h.clock.advance(10);
    h.bot.onBookTop(h.book("59952.00", "59952.01"));
    const placed = h.places().slice(2);
    expect(placed.map((p) => p.side)).toEqual(["SELL"]);
    expect(h.asked).toContain("place REQUOTE");
    expect(h.asked.filter((a) => a === "place RESTORE").length).toBeGreaterThanOrEqual(3);
    expect(h.bot.workingOrders().map((o) => o.clientOrderId)).toContain(bid.clientOrderId);
  });

  it("caps discretionary requotes at risk.maxOrdersPerInterval, never a restore", () => {
    // No inner margin, so a 0.07% move drifts both orders (0.32% -> 0.25% and 0.39%) while both stay valid; the
    // reference is the book's mid, so the moves are exactly the book's.
    const config = parseBotConfig({
      hysteresis: { innerMargin: 0 },
      reference: { method: "MID" },
      risk: { maxOrdersPerInterval: { intervalMs: 10_000, count: 1 } },
    });
    if (!config.ok) throw new Error("bad test config");
    const h = harness(config.config);
    h.bot.start([]);
    // A liquid tape first (sixty small prints), so the quotes sit at the target rather than near the outer edge.
    for (let i = 0; i < 60; i++) h.trade("60000.00");
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.ackAll();
    h.clock.advance(10);
    h.bot.onBookTop(h.book("60042.00", "60042.01"));
    const requotes = h.log.filter((e) => e.kind === "place" && e.reason === "DRIFTED");
    expect(requotes).toHaveLength(1);
    // A move that carries the ask inside minSpread (60192.01 is 0.17% above 60090) is a restore: it goes at once,
    // cap or not. (The bid's replacement is still on its way, so the bid side waits for it.)
    h.clock.advance(10);
    h.bot.onBookTop(h.book("60090.00", "60090.01"));
    const restores = h.log.filter((e) => e.kind === "place" && e.time === h.clock.now());
    expect(restores.map((e) => (e.kind === "place" ? `${e.side} ${e.reason}` : ""))).toEqual(["SELL OUTSIDE_INNER_BAND"]);
  });
});
