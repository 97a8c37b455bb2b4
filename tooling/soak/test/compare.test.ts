import { describe, expect, it } from "vitest";
import { brokenRules, compareRecords, exampleClientOrderIds, type ComparisonInput, type DbFill, type DbOrder } from "../src/compare";
import type { ExchangeOrder, ExchangeTrade } from "../src/simulator-host";

const API_KEY = "key-a";
const ACCOUNT = "account-a";

const exchangeOrder = (overrides: Partial<ExchangeOrder> = {}): ExchangeOrder => ({
  apiKey: API_KEY,
  symbol: "BTCUSDT",
  orderId: 101,
  clientOrderId: "bk-run-1",
  side: "BUY",
  status: "FILLED",
  price: "60000.00000000",
  origQty: "0.17500000",
  executedQty: "0.17500000",
  time: 1_000,
  updateTime: 2_000,
  ...overrides,
});

const trade = (overrides: Partial<ExchangeTrade> = {}): ExchangeTrade => ({
  apiKey: API_KEY,
  symbol: "BTCUSDT",
  id: 9001,
  orderId: 101,
  qty: "0.17500000",
  price: "60000.00000000",
  time: 2_000,
  ...overrides,
});

const row = (overrides: Partial<DbOrder> = {}): DbOrder => ({
  id: "row-1",
  exchangeAccountId: ACCOUNT,
  symbol: "BTCUSDT",
  clientOrderId: "bk-run-1",
  exchangeOrderId: "101",
  status: "FILLED",
  quantity: "0.175",
  executedQty: "0.175",
  rejectReason: null,
  placedAt: "2026-12-02T06:40:35.408Z",
  closedAt: "2026-12-02T06:40:36.000Z",
  ...overrides,
});

const fill = (overrides: Partial<DbFill> = {}): DbFill => ({
  orderId: "row-1",
  exchangeAccountId: ACCOUNT,
  symbol: "BTCUSDT",
  tradeId: "9001",
  exchangeOrderId: "101",
  quantity: "0.175",
  ...overrides,
});

const compare = (input: Partial<Omit<ComparisonInput, "accountIds">>) =>
  compareRecords({
    accountIds: new Map([[API_KEY, ACCOUNT]]),
    exchangeOrders: [exchangeOrder()],
    exchangeTrades: [trade()],
    dbOrders: [row()],
    dbFills: [fill()],
    ...input,
  });

const counts = (result: ReturnType<typeof compareRecords>) => ({
  missingOrders: result.missing.orders.count,
  missingFills: result.missing.fills.count,
  doubledOrders: result.doubled.orders.count,
  doubledFills: result.doubled.fills.count,
  phantomFills: result.phantomFills.count,
  untrackedFilled: result.untrackedFilled.count,
  inconsistent: result.inconsistent.count,
});

const clean = { missingOrders: 0, missingFills: 0, doubledOrders: 0, doubledFills: 0, phantomFills: 0, untrackedFilled: 0, inconsistent: 0 };

describe("compareRecords", () => {
  it("finds nothing when Postgres holds exactly the exchange's record", () => {
    const result = compare({});
    expect(counts(result)).toEqual(clean);
    expect(result.orders).toEqual({ exchange: 1, postgres: 1 });
    expect(result.fills).toEqual({ exchange: 1, postgres: 1 });
  });

  it("the lost order: REJECTED on our side, filled on the exchange", () => {
    const result = compare({
      dbOrders: [row({ status: "REJECTED", exchangeOrderId: null, executedQty: "0", rejectReason: "order not found on the exchange" })],
      dbFills: [fill({ orderId: null })],
    });
    expect(counts(result)).toEqual({ ...clean, untrackedFilled: 1, inconsistent: 1 });
    expect(result.inconsistent.byRule).toEqual({
      "status differs from the exchange": 1,
      "executed quantity differs from the exchange": 1,
      "exchange order id differs from the exchange": 1,
    });
    expect(result.untrackedFilled.examples[0]).toMatchObject({ exchange: { orderId: 101 }, postgres: { status: "REJECTED" } });
  });

  it("an exchange order and trade Postgres never heard of are missing, and the order untracked-filled", () => {
    const result = compare({ dbOrders: [], dbFills: [] });
    expect(counts(result)).toEqual({ ...clean, missingOrders: 1, missingFills: 1, untrackedFilled: 1 });
  });

  it("a trade recorded twice is doubled; a fill with no exchange trade is a phantom", () => {
    const result = compare({ dbFills: [fill(), fill(), fill({ tradeId: "9002" })] });
    expect(counts(result)).toMatchObject({ doubledFills: 1, phantomFills: 1, missingFills: 0 });
  });

  it("two rows claiming one exchange order (a venue that restarted its id sequence) are doubled", () => {
    const result = compare({ dbOrders: [row(), row({ id: "row-2", clientOrderId: "bk-run-2" })] });
    expect(result.doubled.orders.count).toBe(1);
  });

  it("a row whose fills are recorded but whose executed quantity is not is inconsistent and untracked-filled", () => {
    const result = compare({ dbOrders: [row({ executedQty: "0" })] });
    expect(counts(result)).toEqual({ ...clean, untrackedFilled: 1, inconsistent: 1 });
    expect(Object.keys(result.inconsistent.byRule).sort()).toEqual([
      "FILLED but not fully executed",
      "executed quantity differs from its fill rows",
      "executed quantity differs from the exchange",
    ]);
  });

  it("matches an exchange order to a row by client order id while the row has no exchange id yet", () => {
    const cancelled = exchangeOrder({ status: "CANCELED", executedQty: "0" });
    const result = compare({ exchangeOrders: [cancelled], exchangeTrades: [], dbOrders: [row({ status: "CANCELED", executedQty: "0", exchangeOrderId: null })], dbFills: [] });
    expect(result.missing.orders.count).toBe(0);
    expect(result.inconsistent.byRule).toEqual({ "exchange order id differs from the exchange": 1 });
  });
});

describe("brokenRules", () => {
  it.each([
    { name: "a consistent fully filled row", order: row(), fills: [fill()], rules: [] },
    { name: "a placement the exchange refused", order: row({ status: "REJECTED", exchangeOrderId: null, executedQty: "0" }), fills: [], rules: [] },
    { name: "an order left open after a graceful stop", order: row({ status: "NEW", executedQty: "0" }), fills: [], rules: ["not final after a graceful stop"] },
    {
      name: "a partial fill recorded as PARTIALLY_FILLED with nothing executed",
      order: row({ status: "PARTIALLY_FILLED", executedQty: "0" }),
      fills: [],
      rules: ["PARTIALLY_FILLED without a partial execution", "not final after a graceful stop"],
    },
    {
      name: "an execution beyond the quantity",
      order: row({ executedQty: "0.2" }),
      fills: [fill({ quantity: "0.2" })],
      rules: ["executed quantity outside 0..quantity", "FILLED but not fully executed"],
    },
    {
      name: "an executed row without the exchange's order id",
      order: row({ status: "CANCELED", executedQty: "0.1", exchangeOrderId: null }),
      fills: [fill({ quantity: "0.1" })],
      rules: ["executed without an exchange order id"],
    },
  ])("$name", ({ order, fills, rules }) => {
    expect(brokenRules(order, undefined, fills).filter((rule) => rule !== "exchange order id unknown to the exchange")).toEqual(rules);
  });

  it("names an exchange id the exchange does not know", () => {
    expect(brokenRules(row(), undefined, [fill()])).toEqual(["exchange order id unknown to the exchange"]);
  });
});

describe("exampleClientOrderIds", () => {
  it("names the client order ids of every example, once", () => {
    const result = compare({ dbOrders: [row({ status: "REJECTED", exchangeOrderId: null, executedQty: "0" })], dbFills: [fill({ orderId: null })] });
    expect(exampleClientOrderIds(result)).toEqual(["bk-run-1"]);
    expect(exampleClientOrderIds(compare({}))).toEqual([]);
  });
});
