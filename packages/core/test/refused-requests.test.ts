// A bot whose requests are refused (the account's order budget spent, or the exchange's 429/418 until its
// Retry-After) is not QUOTING: it says it is DEGRADED and why, and quotes again once a request goes out.
import { describe, expect, it } from "vitest";
import { Bot, Decimal, ManualClock, SequentialIdGenerator, defaultBotConfig, type BotPorts, type PlaceRequest } from "../src";
import { btcusdt } from "./support/instruments";

function harness() {
  const clock = new ManualClock(1_700_000_000_000);
  const places: PlaceRequest[] = [];
  const refuse = { place: false, cancel: false };
  const ports: BotPorts = {
    clock,
    ids: new SequentialIdGenerator("t-"),
    execution: { place: (request) => places.push(request), cancel: () => undefined, query: () => undefined, fills: () => undefined },
    balances: { balances: () => null },
    budget: { tryConsume: (kind) => !refuse[kind] },
    sink: { order: () => undefined, fill: () => undefined, state: () => undefined, event: () => undefined, log: () => undefined },
  };
  const bot = new Bot({ botId: "bot-1", symbol: "BTCUSDT" }, ports, defaultBotConfig, btcusdt());
  const market = (price: string) => {
    bot.onBookTop({ bidPrice: new Decimal(price), bidQty: new Decimal(1), askPrice: new Decimal(price).plus("0.01"), askQty: new Decimal(1), time: clock.now() });
    for (let i = 0; i < 5; i++) bot.onTrade({ price: new Decimal(price), qty: new Decimal("0.01"), time: clock.now(), isBuyerMaker: false });
  };
  return { bot, clock, places, refuse, market };
}

describe("refused requests", () => {
  it("a side that cannot be put back makes the bot DEGRADED with the reason, and QUOTING again once it is", () => {
    const h = harness();
    h.bot.start([]);
    h.market("60000.00");
    h.places.forEach((p, i) => h.bot.onPlaceAcknowledged(p.clientOrderId, String(i + 1)));
    expect(h.bot.currentState.state).toBe("QUOTING");

    // The bid fills while the exchange refuses every request (a 429 burst's Retry-After).
    h.refuse.place = true;
    h.refuse.cancel = true;
    const bid = h.places.find((p) => p.side === "BUY")!;
    h.clock.advance(100);
    h.bot.onExecutionUpdate({ type: "TRADE", clientOrderId: bid.clientOrderId, exchangeOrderId: "1", tradeId: "9", price: bid.price, qty: bid.qty, commission: new Decimal(0), commissionAsset: "BTC", isMaker: true });
    expect(h.bot.currentState.state).toBe("DEGRADED");
    expect(h.bot.currentState.reason).toMatch(/could not be put back.*429\/418/);

    // The refusal ends: the next tick puts the bid back.
    h.refuse.place = false;
    h.refuse.cancel = false;
    h.clock.advance(1_000);
    h.bot.tick();
    expect(h.places.filter((p) => p.side === "BUY")).toHaveLength(2);
    expect(h.bot.currentState.state).toBe("QUOTING");
  });
});
