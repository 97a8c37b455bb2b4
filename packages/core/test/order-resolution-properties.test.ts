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
type ExchangeOrder = { status: "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED"; exchangeId: string; qty: Decimal; executed: Decimal; price: Decimal };

/**
 * One step the scenario takes: deliver request i to the exchange, deliver reply i to the bot, fill a resting order
 * (all of it or half), repeat a delivered reply, time out a placement (executed or lost on the way: the bot hears
 * "outcome unknown"), or let 100 ms pass.
 */
type Step = { kind: "request" | "reply" | "fill" | "repeat" | "timeout"; pick: number } | { kind: "tick" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "request", pick })) },
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "reply", pick })) },
  { weight: 1, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "fill", pick })) },
  { weight: 1, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "repeat", pick })) },
  { weight: 1, arbitrary: fc.nat({ max: 20 }).map((pick): Step => ({ kind: "timeout", pick })) },
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
      fills: () => undefined,
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
  const execute = (request: Request, replyLost = false) => {
    if (request.kind === "place") {
      const { clientOrderId: id, price, qty } = request.request;
      const order: ExchangeOrder = { status: "NEW", exchangeId: String(nextId++), qty, executed: new Decimal(0), price };
      book.set(id, order);
      replies.push(replyLost ? () => bot.onPlaceOutcomeUnknown(id, "-1007 timeout") : () => bot.onPlaceAcknowledged(id, order.exchangeId));
      replies.push(() => bot.onExecutionUpdate({ type: "NEW", clientOrderId: id, exchangeOrderId: order.exchangeId }));
    } else if (request.kind === "cancel") {
      const order = book.get(request.id);
      if (order?.status === "NEW" || order?.status === "PARTIALLY_FILLED") {
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
    const resting = [...book.entries()].filter(([, o]) => o.status === "NEW" || o.status === "PARTIALLY_FILLED");
    const entry = resting[pick % Math.max(1, resting.length)];
    if (!entry) return;
    const [id, order] = entry;
    // Half of what is left, or all of it.
    const left = order.qty.minus(order.executed);
    const qty = pick % 2 === 0 ? left : left.div(2).toDecimalPlaces(5, Decimal.ROUND_DOWN);
    if (!qty.gt(0)) return;
    order.executed = order.executed.plus(qty);
    order.status = order.executed.eq(order.qty) ? "FILLED" : "PARTIALLY_FILLED";
    const tradeId = String(nextTrade++);
    exchangeFills.push(tradeId);
    replies.push(() =>
      bot.onExecutionUpdate({ type: "TRADE", clientOrderId: id, exchangeOrderId: order.exchangeId, tradeId, price: order.price, qty, commission: new Decimal(0), commissionAsset: "BTC", isMaker: true }),
    );
  };
  /** A placement times out: executed with its reply lost (even pick), or lost on the way (odd pick). */
  const timeOut = (pick: number) => {
    const places = requests.filter((r): r is Extract<Request, { kind: "place" }> => r.kind === "place");
    const request = places[pick % Math.max(1, places.length)];
    if (!request) return;
    requests.splice(requests.indexOf(request), 1);
    if (pick % 2 === 0) execute(request, true);
    else replies.push(() => bot.onPlaceOutcomeUnknown(request.request.clientOrderId, "-1007 timeout"));
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
      case "timeout":
        timeOut(step.pick);
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
            expect(last.executedQty.toFixed()).toBe(onExchange.executed.toFixed());
          } else {
            // Lost on the way: written off only after its recvWindow ran out.
            expect(last).toMatchObject({ status: "REJECTED", closedByInference: true });
          }
        }
        expect([...book.values()].filter((o) => o.status === "NEW" || o.status === "PARTIALLY_FILLED")).toEqual([]);
        expect(fills.map((f) => f.tradeId).sort()).toEqual([...exchangeFills].sort());
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
