// An earlier run's order found on the exchange (its engine died before journaling it) is adopted: journaled,
// cancelled on the tracked path and closed by the exchange's answer. A stranger's is cancelled blind, as before.
import { describe, expect, it } from "vitest";
import { Bot, Decimal, ManualClock, SequentialIdGenerator, defaultBotConfig, type BotPorts, type ExchangeOpenOrder, type Order } from "../src";
import { btcusdt } from "./support/instruments";

const PREFIX = "bkabc123";

function harness(prefix: string | null = PREFIX) {
  const clock = new ManualClock(1_700_000_000_000);
  const sent: string[] = [];
  const rows = new Map<string, Order>();
  const events: { type: string; data?: Record<string, unknown> }[] = [];
  const fills: string[] = [];
  const ports: BotPorts = {
    clock,
    ids: new SequentialIdGenerator(`${PREFIX}run2-`),
    execution: {
      place: (request) => sent.push(`place ${request.clientOrderId}`),
      cancel: (_symbol, clientOrderId) => sent.push(`cancel ${clientOrderId}`),
      query: (_symbol, clientOrderId) => sent.push(`query ${clientOrderId}`),
      fills: (_symbol, clientOrderId, exchangeOrderId) => sent.push(`fills ${clientOrderId} ${exchangeOrderId}`),
    },
    balances: { balances: () => null },
    budget: { tryConsume: () => true },
    sink: {
      order: (order) => rows.set(order.clientOrderId, order),
      fill: (fill) => fills.push(fill.tradeId),
      state: () => undefined,
      event: (type, _time, _reason, data) => events.push({ type, ...(data ? { data } : {}) }),
      log: () => undefined,
    },
  };
  const bot = new Bot({ botId: "bot-1", symbol: "BTCUSDT", ...(prefix ? { clientOrderIdPrefix: prefix } : {}) }, ports, defaultBotConfig, btcusdt());
  return { bot, clock, sent, rows, events, fills };
}

const earlierRuns: ExchangeOpenOrder = {
  clientOrderId: `${PREFIX}run1-7`,
  exchangeOrderId: "41",
  status: "NEW",
  executedQty: new Decimal(0),
  side: "BUY",
  price: new Decimal("59800"),
  origQty: new Decimal("0.2"),
};
const strangers: ExchangeOpenOrder = { ...earlierRuns, clientOrderId: "web-1", exchangeOrderId: "42" };

describe("adopting an earlier run's order", () => {
  it("journals the order the exchange lists, cancels it on the tracked path and closes its row on the answer", () => {
    const h = harness();
    h.bot.start([earlierRuns, strangers]);

    const row = h.rows.get(earlierRuns.clientOrderId);
    expect(row).toMatchObject({ status: "PENDING_CANCEL", exchangeOrderId: "41", side: "BUY", executedQty: new Decimal(0) });
    expect(row?.price.eq("59800")).toBe(true);
    expect(row?.origQty.eq("0.2")).toBe(true);
    expect(h.sent).toEqual([`cancel ${earlierRuns.clientOrderId}`, "cancel web-1"]);
    expect(h.events.map((e) => e.type)).toEqual(["order_adopted", "orphan_cancelled"]);
    // A stranger's order gets no row: it is not ours to account.
    expect(h.rows.has("web-1")).toBe(false);

    h.clock.advance(20);
    h.bot.onCancelAcknowledged(earlierRuns.clientOrderId);
    expect(h.rows.get(earlierRuns.clientOrderId)).toMatchObject({ status: "CANCELED", closedAt: h.clock.now() });
  });

  it("adopts one that turns up on the user-data stream after the start (a placement still in flight when its engine died)", () => {
    const h = harness();
    h.bot.start([]);
    h.clock.advance(3_000);
    h.bot.onExecutionUpdate({ type: "NEW", clientOrderId: `${PREFIX}run1-9`, exchangeOrderId: "77", side: "SELL", price: new Decimal("60300"), origQty: new Decimal("0.2") });
    expect(h.rows.get(`${PREFIX}run1-9`)).toMatchObject({ status: "PENDING_CANCEL", exchangeOrderId: "77", side: "SELL" });
    expect(h.sent).toContain(`cancel ${PREFIX}run1-9`);

    // The cancel crossed a fill: the exchange's trades are the record, and the row closes on them.
    h.bot.onExecutionUpdate({ type: "TRADE", clientOrderId: `${PREFIX}run1-9`, exchangeOrderId: "77", tradeId: "5", price: new Decimal("60300"), qty: new Decimal("0.2"), commission: new Decimal(0), commissionAsset: "USDT", isMaker: true });
    expect(h.fills).toEqual(["5"]);
    expect(h.rows.get(`${PREFIX}run1-9`)).toMatchObject({ status: "FILLED", executedQty: new Decimal("0.2") });
  });

  it("fetches the trades of a partly filled one, so its row never reads less executed than the exchange", () => {
    const h = harness();
    h.bot.start([{ ...earlierRuns, status: "PARTIALLY_FILLED", executedQty: new Decimal("0.05") }]);
    expect(h.sent).toEqual([`fills ${earlierRuns.clientOrderId} 41`, `cancel ${earlierRuns.clientOrderId}`]);

    h.bot.onOrderTrades(earlierRuns.clientOrderId, [{ tradeId: "3", price: new Decimal("59800"), qty: new Decimal("0.05"), commission: new Decimal(0), commissionAsset: "BTC", isMaker: true }]);
    expect(h.rows.get(earlierRuns.clientOrderId)).toMatchObject({ status: "PENDING_CANCEL", executedQty: new Decimal("0.05") });
    h.bot.onCancelAcknowledged(earlierRuns.clientOrderId);
    expect(h.rows.get(earlierRuns.clientOrderId)).toMatchObject({ status: "CANCELED", executedQty: new Decimal("0.05") });
  });

  it("leaves unknown orders alone while it stops: they may be the next run's, on the engine the bot is handed to", () => {
    const h = harness();
    h.bot.start([]);
    h.bot.stop("handing the bot to another engine");
    h.bot.onExecutionUpdate({ type: "NEW", clientOrderId: `${PREFIX}run3-1`, exchangeOrderId: "90", side: "BUY", price: new Decimal("59800"), origQty: new Decimal("0.2") });
    h.bot.reconcile([{ ...earlierRuns, clientOrderId: `${PREFIX}run3-2` }, strangers]);
    expect(h.sent).toEqual([]);
    expect(h.rows.size).toBe(0);
  });

  it("cancels blind what it cannot recognise: no prefix configured, or a listing without the order's terms", () => {
    const noPrefix = harness(null);
    noPrefix.bot.start([earlierRuns]);
    expect(noPrefix.rows.size).toBe(0);
    expect(noPrefix.sent).toEqual([`cancel ${earlierRuns.clientOrderId}`]);

    const bare = harness();
    bare.bot.start([{ clientOrderId: earlierRuns.clientOrderId, exchangeOrderId: "41", status: "NEW" }]);
    expect(bare.rows.size).toBe(0);
    expect(bare.sent).toEqual([`cancel ${earlierRuns.clientOrderId}`]);
  });
});
