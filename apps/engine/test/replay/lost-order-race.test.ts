// The lost-order race of a fault soak, against the simulator's exchange core (real matching, real order records and
// user-data events through the exchange client's own parser): the link delays one placement by three seconds, the
// bot's cancel of it overtakes it and is answered "unknown order" (-2011), a query answers -2013, and only then
// does the placement reach the book. The bot must find it, cancel it and account for whatever it did; at the end the
// exchange holds no order of ours and every fill on the exchange is a fill the bot recorded.
import { Decimal, ManualClock, SequentialIdGenerator, buildInstrument, defaultBotConfig, Bot, type BotSink, type ExecutionPort, type Fill, type Order, type PlaceRequest } from "@bandkeeper/core";
import { SimulatedExchange } from "@bandkeeper/exchange-sim";
import { ReplayMarket, type ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/replay/event-queue";
import { builtInSymbol } from "../../src/replay/symbols";
import { VenueLink } from "../../src/replay/venue-link";

const T0 = 1_700_000_000_000;
const LATENCY_MS = 10;
const PLACEMENT_DELAY_MS = 3_000;

type Happening = { kind: "message"; deliver: () => void } | { kind: "tick" } | { kind: "exchange" };

/** Places go through `link` unless `hold` says otherwise: then they wait `PLACEMENT_DELAY_MS` on the way, as in a latency fault. */
function delayingPlacements(link: VenueLink, schedule: (time: number, deliver: () => void) => void, clock: ManualClock, hold: (request: PlaceRequest) => boolean): ExecutionPort {
  return {
    place: (request) => (hold(request) ? schedule(clock.now() + PLACEMENT_DELAY_MS, () => link.place(request)) : link.place(request)),
    cancel: (symbol, clientOrderId) => link.cancel(symbol, clientOrderId),
    query: (symbol, clientOrderId) => link.query(symbol, clientOrderId),
    fills: (symbol, clientOrderId, exchangeOrderId) => link.fills(symbol, clientOrderId, exchangeOrderId),
  };
}

/**
 * One bot on the simulated exchange; `sellThroughAt` (ms after T0) prints a public trade far below the bid, which
 * fills a resting bid at once.
 */
function race(sellThroughAt: number | null) {
  const info = builtInSymbol("BTCUSDT");
  if (!info) throw new Error("no built-in BTCUSDT");
  const clock = new ManualClock(T0);
  const records: ReplayRecord[] = [
    {
      time: 0,
      step: {
        reset: true,
        levels: [
          { side: "bid", price: "60000.00", qty: "5" },
          { side: "ask", price: "60000.01", qty: "5" },
        ],
        trades: [],
      },
    },
    ...(sellThroughAt === null ? [] : [{ time: sellThroughAt, step: { levels: [], trades: [{ price: "59000.00", qty: "2", buyerIsMaker: true }] } }]),
    { time: 20_000, step: { levels: [], trades: [] } },
  ];
  const market = new ReplayMarket(info.symbol, records, { startAt: T0 });
  const exchange = new SimulatedExchange({ clock, symbols: [info], markets: { [info.symbol]: market } });
  const { accountId } = exchange.createAccount({ apiKey: "race", secret: "race", balances: { USDT: "1000000", BTC: "20" } });

  const queue = new EventQueue<Happening>();
  const schedule = (time: number, deliver: () => void) => queue.push(time, { kind: "message", deliver });
  const link = new VenueLink({ exchange, accountId, baseAsset: "BTC", quoteAsset: "USDT", clock, schedule, latencyMs: LATENCY_MS });
  let heldOne = false;
  const execution = delayingPlacements(link, schedule, clock, (request) => {
    if (heldOne || request.side !== "BUY") return false;
    heldOne = true;
    return true;
  });
  const rows = new Map<string, Order[]>();
  const fills: Fill[] = [];
  const events: { type: string; reason: string }[] = [];
  const sink: BotSink = {
    order: (order) => rows.set(order.clientOrderId, [...(rows.get(order.clientOrderId) ?? []), order]),
    fill: (fill) => fills.push(fill),
    state: () => undefined,
    event: (type, _time, reason) => events.push({ type, reason }),
    log: () => undefined,
  };
  const instrument = buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters: info.filters });
  const bot = new Bot({ botId: "race", symbol: info.symbol }, { clock, ids: new SequentialIdGenerator("race-"), execution, balances: link, budget: link, sink }, defaultBotConfig, instrument);
  link.connect(bot);

  const runUntil = (end: number) => {
    for (let next = queue.pop(); next; next = queue.pop()) {
      if (next.time > end) {
        queue.push(next.time, next.item);
        break;
      }
      clock.set(Math.max(clock.now(), next.time));
      const item = next.item;
      if (item.kind === "message") item.deliver();
      else if (item.kind === "exchange") exchange.tick();
      else {
        bot.tick();
        queue.push(clock.now() + 100, { kind: "tick" });
      }
      const step = market.nextStepTime();
      if (step !== undefined && step <= end && item.kind === "exchange") queue.push(step, { kind: "exchange" });
    }
    clock.set(Math.max(clock.now(), end));
  };

  bot.start([]);
  bot.onBookTop({ bidPrice: new Decimal("60000.00"), bidQty: new Decimal(5), askPrice: new Decimal("60000.01"), askQty: new Decimal(5), time: clock.now() });
  bot.onTrade({ price: new Decimal("60000.00"), qty: new Decimal("0.01"), time: clock.now(), isBuyerMaker: false });
  queue.push(T0 + 100, { kind: "tick" });
  const firstStep = market.nextStepTime();
  if (firstStep !== undefined) queue.push(firstStep, { kind: "exchange" });
  return { exchange, accountId, bot, rows, fills, events, runUntil, pause: () => bot.pause("operator") };
}

function bidOf(rows: Map<string, Order[]>): Order[] {
  const bid = [...rows.values()].find((history) => history[0]?.side === "BUY");
  if (!bid) throw new Error("the bot placed no bid");
  return bid;
}

describe("the lost-order race against the simulator", () => {
  it("cancels the placement that landed after its cancel was answered unknown; the exchange and the bot agree", () => {
    const r = race(null);
    r.runUntil(T0 + 420);
    r.pause();
    r.runUntil(T0 + 1_000);
    const bid = bidOf(r.rows);
    const id = bid[0]!.clientOrderId;
    // The exchange has not seen the bid yet; the bot's cancel came back "unknown order" and a query NOT_FOUND.
    expect(() => r.exchange.queryOrder(r.accountId, { symbol: "BTCUSDT", origClientOrderId: id })).toThrow(/-2013/);
    expect(bid.at(-1)?.status).toBe("PENDING_CANCEL");

    r.runUntil(T0 + 10_000);
    const onExchange = r.exchange.queryOrder(r.accountId, { symbol: "BTCUSDT", origClientOrderId: id });
    expect(onExchange.status).toBe("CANCELED");
    expect(r.exchange.openOrders(r.accountId)).toEqual([]);
    const last = bidOf(r.rows).at(-1)!;
    expect(last).toMatchObject({ status: "CANCELED", exchangeOrderId: String(onExchange.orderId) });
    expect(last.executedQty.toFixed()).toBe(new Decimal(onExchange.executedQty).toFixed());
    expect(bidOf(r.rows).some((o) => o.status === "REJECTED")).toBe(false);
    expect(r.bot.workingOrders()).toEqual([]);
  });

  it("accounts the fill when the late placement is filled before the second cancel reaches it", () => {
    // The placement lands at +3010 ms; the public sell-through prints at +3015, before the resent cancel (+3030).
    const r = race(PLACEMENT_DELAY_MS + 15);
    r.runUntil(T0 + 420);
    r.pause();
    r.runUntil(T0 + 10_000);
    const id = bidOf(r.rows)[0]!.clientOrderId;
    const onExchange = r.exchange.queryOrder(r.accountId, { symbol: "BTCUSDT", origClientOrderId: id });
    expect(onExchange.status).toBe("FILLED");
    expect(r.exchange.openOrders(r.accountId)).toEqual([]);
    const trades = r.exchange.myTrades(r.accountId, { symbol: "BTCUSDT" });
    expect(trades.length).toBeGreaterThan(0);
    // Every trade on the exchange is a fill the bot recorded, once.
    expect(r.fills.map((f) => f.tradeId).sort()).toEqual(trades.map((t) => String(t.id)).sort());
    const last = bidOf(r.rows).at(-1)!;
    expect(last).toMatchObject({ status: "FILLED", exchangeOrderId: String(onExchange.orderId) });
    expect(last.executedQty.toFixed()).toBe(new Decimal(onExchange.executedQty).toFixed());
    expect(bidOf(r.rows).some((o) => o.status === "REJECTED")).toBe(false);
  });
});
