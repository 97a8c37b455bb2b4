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

type Sent = { kind: "place"; request: PlaceRequest } | { kind: "cancel"; clientOrderId: string } | { kind: "query"; clientOrderId: string };

function harness(config: BotConfig = defaultBotConfig) {
  const clock = new ManualClock(1_700_000_000_000);
  const sent: Sent[] = [];
  const states: { from: BotState; to: BotState; reason: string | null }[] = [];
  const log: BotLogEntry[] = [];
  const fills: string[] = [];
  let budgetLeft = Infinity;
  const ports: BotPorts = {
    clock,
    ids: new SequentialIdGenerator("t-"),
    execution: {
      place: (request) => sent.push({ kind: "place", request }),
      cancel: (_symbol, clientOrderId) => sent.push({ kind: "cancel", clientOrderId }),
      query: (_symbol, clientOrderId) => sent.push({ kind: "query", clientOrderId }),
    },
    balances: { balances: () => null },
    budget: { tryConsume: () => budgetLeft-- > 0 },
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
  return { bot, clock, sent, states, log, fills, book, trade, places, ackAll, setBudget: (n: number) => (budgetLeft = n) };
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

  it("halts with a named reason when market data goes stale and quotes again when it returns", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    h.ackAll();
    h.clock.advance(10_000);
    h.bot.tick();
    expect(h.bot.currentState.state).toBe("HALTED");
    expect(h.bot.currentState.reason).toMatch(/STALE_MARKET_DATA/);
    // While the data stays stale, ticks report nothing new: the reason names the limit, not the growing age.
    const reported = h.states.length;
    for (let i = 0; i < 20; i++) {
      h.clock.advance(100);
      h.bot.tick();
    }
    expect(h.states).toHaveLength(reported);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    expect(["QUOTING", "DEGRADED"]).toContain(h.bot.currentState.state);
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

  it("holds its resting quotes at the order-rate limit instead of pulling them", () => {
    const config = parseBotConfig({ risk: { maxOrdersPerInterval: { intervalMs: 10_000, count: 2 } } });
    if (!config.ok) throw new Error("bad test config");
    const h = harness(config.config);
    h.bot.start([]);
    h.bot.onBookTop(h.book("60000.00", "60000.01"));
    h.trade("60000.00");
    h.ackAll();
    const sentBefore = h.sent.length;

    h.clock.advance(50);
    h.bot.onBookTop(h.book("60180.00", "60180.01"));
    for (let i = 0; i < 200; i++) h.trade("60180.00");
    expect(h.sent.slice(sentBefore)).toEqual([]);
    expect(h.bot.workingOrders()).toHaveLength(2);
    expect(h.bot.currentState).toMatchObject({ state: "DEGRADED", reason: expect.stringMatching(/^holding quotes: orders in 10000 ms/) as unknown });
  });
});
