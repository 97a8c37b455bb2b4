// A fill whose trade events never reached the bot (the user-data stream dropped them), against the simulator's
// exchange core: the soak found such orders written FILLED with nothing executed, their fills never recorded. The
// bot must learn the fill from the exchange's record, fetch the order's trades and account each exactly once; the
// order closes FILLED on those trades, never on the report alone.
import { Decimal, ManualClock, SequentialIdGenerator, buildInstrument, defaultBotConfig, Bot, type BotSink, type ExecutionUpdate, type Fill, type Order } from "@bandkeeper/core";
import { SimulatedExchange } from "@bandkeeper/exchange-sim";
import { ReplayMarket, type ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/replay/event-queue";
import { builtInSymbol } from "../../src/replay/symbols";
import { VenueLink } from "../../src/replay/venue-link";

const T0 = 1_700_000_000_000;
const SELL_THROUGH_AT = 2_000;

describe("a fill the user-data stream dropped", () => {
  it("is found by reconciliation, its trades fetched and recorded once, the order closed FILLED on them", () => {
    const info = builtInSymbol("BTCUSDT");
    if (!info) throw new Error("no built-in BTCUSDT");
    const clock = new ManualClock(T0);
    const records: ReplayRecord[] = [
      { time: 0, step: { reset: true, levels: [{ side: "bid", price: "60000.00", qty: "5" }, { side: "ask", price: "60000.01", qty: "5" }], trades: [] } },
      // A public sell far below the bid: it fills our resting bid completely.
      { time: SELL_THROUGH_AT, step: { levels: [], trades: [{ price: "59000.00", qty: "2", buyerIsMaker: true }] } },
      { time: 20_000, step: { levels: [], trades: [] } },
    ];
    const market = new ReplayMarket(info.symbol, records, { startAt: T0 });
    const exchange = new SimulatedExchange({ clock, symbols: [info], markets: { [info.symbol]: market } });
    const { accountId } = exchange.createAccount({ apiKey: "drop", secret: "drop", balances: { USDT: "1000000", BTC: "20" } });
    const queue = new EventQueue<{ deliver: () => void }>();
    const link = new VenueLink({ exchange, accountId, baseAsset: "BTC", quoteAsset: "USDT", clock, latencyMs: 10, schedule: (time, deliver) => queue.push(time, { deliver }) });
    const rows = new Map<string, Order[]>();
    const fills: Fill[] = [];
    const sink: BotSink = {
      order: (order) => rows.set(order.clientOrderId, [...(rows.get(order.clientOrderId) ?? []), order]),
      fill: (fill) => fills.push(fill),
      state: () => undefined,
      event: () => undefined,
      log: () => undefined,
    };
    const instrument = buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters: info.filters });
    const bot = new Bot({ botId: "drop", symbol: info.symbol }, { clock, ids: new SequentialIdGenerator("drop-"), execution: link, balances: link, budget: link, sink }, defaultBotConfig, instrument);
    // The user-data stream loses every trade event (and the FILLED report with it).
    link.connect({
      onPlaceAcknowledged: (...a) => bot.onPlaceAcknowledged(...a),
      onPlaceRejected: (...a) => bot.onPlaceRejected(...a),
      onPlaceOutcomeUnknown: (...a) => bot.onPlaceOutcomeUnknown(...a),
      onCancelAcknowledged: (...a) => bot.onCancelAcknowledged(...a),
      onCancelRejected: (...a) => bot.onCancelRejected(...a),
      onOrderStatus: (...a) => bot.onOrderStatus(...a),
      onOrderTrades: (...a) => bot.onOrderTrades(...a),
      onExecutionUpdate: (update: ExecutionUpdate) => (update.type === "TRADE" ? undefined : bot.onExecutionUpdate(update)),
    });
    const runUntil = (end: number) => {
      for (;;) {
        const due = Math.min(queue.peekTime(), market.nextStepTime() ?? Infinity);
        if (due > end) break;
        clock.set(Math.max(clock.now(), due));
        if (market.nextStepTime() === due) exchange.tick();
        else queue.pop()?.item.deliver();
      }
      clock.set(Math.max(clock.now(), end));
    };

    bot.start([]);
    bot.onBookTop({ bidPrice: new Decimal("60000.00"), bidQty: new Decimal(5), askPrice: new Decimal("60000.01"), askQty: new Decimal(5), time: clock.now() });
    runUntil(T0 + SELL_THROUGH_AT + 500);
    const bidHistory = [...rows.values()].find((history) => history[0]?.side === "BUY")!;
    const bidId = bidHistory[0]!.clientOrderId;
    const onExchange = exchange.queryOrder(accountId, { symbol: "BTCUSDT", origClientOrderId: bidId });
    expect(onExchange.status).toBe("FILLED");
    // The bot heard nothing of it yet.
    expect(fills).toEqual([]);

    // Reconciliation: the open-orders list no longer has the bid, so the bot queries it, learns FILLED, fetches
    // its trades and accounts them.
    bot.reconcile(exchange.openOrders(accountId, "BTCUSDT").map((o) => ({ clientOrderId: o.clientOrderId, exchangeOrderId: String(o.orderId), status: "NEW" as const })));
    runUntil(T0 + SELL_THROUGH_AT + 1_000);
    // A second reconciliation and query change nothing: each trade is recorded once.
    bot.reconcile([]);
    runUntil(T0 + SELL_THROUGH_AT + 2_000);

    const trades = exchange.myTrades(accountId, { symbol: "BTCUSDT", orderId: String(onExchange.orderId) });
    expect(trades.length).toBeGreaterThan(0);
    expect(fills.filter((f) => f.clientOrderId === bidId).map((f) => f.tradeId).sort()).toEqual(trades.map((t) => String(t.id)).sort());
    const last = rows.get(bidId)!.at(-1)!;
    expect(last).toMatchObject({ status: "FILLED", exchangeOrderId: String(onExchange.orderId) });
    expect(last.executedQty.toFixed()).toBe(new Decimal(onExchange.executedQty).toFixed());
    // No row of the order ever read FILLED with less executed than its quantity.
    for (const row of rows.get(bidId)!) if (row.status === "FILLED") expect(row.executedQty.eq(row.origQty)).toBe(true);
  });
});
