// The lost-order race in every order of arrival: a small exchange model (one order book entry per client order
// id, fills from the market) takes the bot's requests in an order fast-check picks (a placement may lag behind
// its own cancel and queries), and its replies and execution reports reach the bot in an order fast-check picks
// too, repeated at random. Once everything has arrived, the bot and the exchange agree on every order: nothing
// rests on the exchange that the bot does not know is working, no order the exchange holds or filled was ever
// written off as REJECTED, and every fill is recorded once.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Bot, Decimal, ManualClock, SequentialIdGenerator, defaultBotConfig, type BotPorts, type Fill, type Order, type PlaceRequest } from "../src";
import { btcusdt } from "./support/instruments";

type Request = { kind: "place"; request: PlaceRequest } | { kind: "cancel"; id: string } | { kind: "query"; id: string };
type ExchangeOrder = { status: "NEW" | "FILLED" | "CANCELED"; exchangeId: string; qty: Decimal; price: Decimal };

/** One step the scenario takes: deliver request i to the exchange, deliver reply i to the bot, fill a resting order, or let 100 ms pass. */
type Step = { kind: "request" | "reply" | "fill" | "repeat"; pick: number } | { kind: "tick" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "request", pick })) },
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "reply", pick })) },
  { weight: 1, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "fill", pick })) },
  { weight: 1, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "repeat", pick })) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: "tick" }) },
);

function scenario(steps: readonly Step[]) {
  const clock = new ManualClock(1_700_000_000_000);
  const requests: Request[] = [];
  const replies: (() => void)[] = [];
  const delivered: (() => void)[] = [];
  const book = new Map<string, ExchangeOrder>();
  const rows = new Map<string, Order[]>();
  const fills: Fill[] = [];
  const exchangeFills: string[] = [];
  let nextId = 1;
  let nextTrade = 1;
  const ports: BotPorts = {
    clock,
    ids: new SequentialIdGenerator("p-"),
    execution: {
      place: (request) => requests.push({ kind: "place", request }),
      cancel: (_symbol, id) => requests.push({ kind: "cancel", id }),
      query: (_symbol, id) => requests.push({ kind: "query", id }),
    },
    balances: { balances: () => null },
    budget: { tryConsume: () => true },
    sink: {
      order: (order) => rows.set(order.clientOrderId, [...(rows.get(order.clientOrderId) ?? []), order]),
      fill: (fill) => fills.push(fill),
      state: () => undefined,
      event: () => undefined,
      log: () => undefined,
    },
  };
  const bot = new Bot({ botId: "prop", symbol: "BTCUSDT" }, ports, defaultBotConfig, btcusdt());

  /** The exchange executes one request and queues its reply (and execution reports) for the bot. */
  const execute = (request: Request) => {
    if (request.kind === "place") {
      const { clientOrderId: id, price, qty } = request.request;
      const order: ExchangeOrder = { status: "NEW", exchangeId: String(nextId++), qty, price };
      book.set(id, order);
      replies.push(() => bot.onPlaceAcknowledged(id, order.exchangeId));
      replies.push(() => bot.onExecutionUpdate({ type: "NEW", clientOrderId: id, exchangeOrderId: order.exchangeId }));
    } else if (request.kind === "cancel") {
      const order = book.get(request.id);
      if (order?.status === "NEW") {
        order.status = "CANCELED";
        replies.push(() => bot.onCancelAcknowledged(request.id));
        replies.push(() => bot.onExecutionUpdate({ type: "CANCELED", clientOrderId: request.id }));
      } else {
        replies.push(() => bot.onCancelRejected(request.id, -2011, "Unknown order sent."));
      }
    } else {
      const order = book.get(request.id);
      const status = order ? { status: order.status, exchangeOrderId: order.exchangeId } : ("NOT_FOUND" as const);
      replies.push(() => bot.onOrderStatus(request.id, status));
    }
  };
  const fillOne = (pick: number) => {
    const resting = [...book.entries()].filter(([, o]) => o.status === "NEW");
    const entry = resting[pick % Math.max(1, resting.length)];
    if (!entry) return;
    const [id, order] = entry;
    order.status = "FILLED";
    const tradeId = String(nextTrade++);
    exchangeFills.push(tradeId);
    replies.push(() =>
      bot.onExecutionUpdate({ type: "TRADE", clientOrderId: id, exchangeOrderId: order.exchangeId, tradeId, price: order.price, qty: order.qty, commission: new Decimal(0), commissionAsset: "BTC", isMaker: true }),
    );
  };
  const take = <T>(list: T[], pick: number): T | undefined => (list.length === 0 ? undefined : list.splice(pick % list.length, 1)[0]);

  bot.start([]);
  bot.onBookTop({ bidPrice: new Decimal("60000.00"), bidQty: new Decimal(1), askPrice: new Decimal("60000.01"), askQty: new Decimal(1), time: clock.now() });
  bot.onTrade({ price: new Decimal("60000.00"), qty: new Decimal("0.01"), time: clock.now(), isBuyerMaker: false });
  let paused = false;
  for (const [i, step] of steps.entries()) {
    // Part way through, the bot pulls its quotes: its cancels may overtake their placements.
    if (!paused && i >= steps.length / 3) {
      bot.pause("operator");
      paused = true;
    }
    switch (step.kind) {
      case "request": {
        const request = take(requests, step.pick);
        if (request) execute(request);
        break;
      }
      case "reply": {
        const reply = take(replies, step.pick);
        if (reply) {
          reply();
          delivered.push(reply);
        }
        break;
      }
      case "repeat":
        delivered[step.pick % Math.max(1, delivered.length)]?.();
        break;
      case "fill":
        fillOne(step.pick);
        break;
      case "tick":
        clock.advance(100);
        bot.tick();
        break;
    }
  }
  if (!paused) bot.pause("operator");
  // Then the network heals: everything in flight arrives in order, and time runs on with the host's ticks.
  for (let t = 0; t < 60_000; t += 100) {
    while (requests.length > 0 || replies.length > 0) {
      const request = requests.shift();
      if (request) execute(request);
      replies.shift()?.();
    }
    clock.advance(100);
    bot.tick();
  }
  return { bot, book, rows, fills, exchangeFills };
}

describe("the lost-order race in every order of arrival", () => {
  it("ends with the bot and the exchange agreeing on every order, no live order written off, every fill recorded once", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40 }), (steps) => {
        const { bot, book, rows, fills, exchangeFills } = scenario(steps);
        expect(bot.workingOrders()).toEqual([]);
        for (const [id, history] of rows) {
          const last = history.at(-1)!;
          const onExchange = book.get(id);
          if (onExchange) {
            expect(history.some((o) => o.status === "REJECTED")).toBe(false);
            expect(last.status).toBe(onExchange.status);
            expect(last.exchangeOrderId).toBe(onExchange.exchangeId);
          } else {
            expect(last.status).toBe("REJECTED");
          }
        }
        expect([...book.values()].filter((o) => o.status === "NEW")).toEqual([]);
        expect(fills.map((f) => f.tradeId).sort()).toEqual([...exchangeFills].sort());
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
