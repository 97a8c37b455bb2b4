// Found by the replay's audit of its event log: an order whose placement ack arrives after the bot already asked
// to cancel it (a risk pause right after a requote) is still a placed order, open from that ack to the cancel ack.
import { Decimal, ManualClock, SequentialIdGenerator, buildInstrument, defaultBotConfig, summariseKpis, Bot, type BotPorts, type PlaceRequest } from "@bandkeeper/core";
import { describe, expect, it } from "vitest";

const instrument = buildInstrument({
  symbol: "BTCUSDT",
  status: "TRADING",
  baseAsset: "BTC",
  quoteAsset: "USDT",
  filters: [
    { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
    { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
  ],
});

describe("Bot KPI facts", () => {
  it("counts an order acknowledged while its cancel is in flight as placed and open until the cancel ack", () => {
    const clock = new ManualClock(1_700_000_000_000);
    const placed: PlaceRequest[] = [];
    const ports: BotPorts = {
      clock,
      ids: new SequentialIdGenerator("t-"),
      execution: { place: (request) => placed.push(request), cancel: () => undefined, query: () => undefined, fills: () => undefined },
      balances: { balances: () => null },
      budget: { tryConsume: () => true },
      sink: { order: () => undefined, fill: () => undefined, state: () => undefined, event: () => undefined, log: () => undefined },
    };
    const bot = new Bot({ botId: "b", symbol: "BTCUSDT" }, ports, defaultBotConfig, instrument);
    bot.start([]);
    bot.onBookTop({ bidPrice: new Decimal("60000"), bidQty: new Decimal(1), askPrice: new Decimal("60000.01"), askQty: new Decimal(1), time: clock.now() });
    bot.onTrade({ price: new Decimal("60000"), qty: new Decimal("0.01"), time: clock.now(), isBuyerMaker: false });
    expect(placed).toHaveLength(2);

    clock.advance(5);
    bot.pause("operator");
    clock.advance(5);
    for (const [i, p] of placed.entries()) bot.onPlaceAcknowledged(p.clientOrderId, String(i + 1));
    clock.advance(10);
    for (const p of placed) bot.onCancelAcknowledged(p.clientOrderId);

    const summary = summariseKpis(bot.takeKpis());
    expect(summary.ordersPlaced).toBe(2);
    expect(summary.depthOrderShare).toBe(1);
  });
});
