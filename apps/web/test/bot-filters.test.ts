import { describe, expect, it } from "vitest";
import {
  NO_BOT_FILTERS,
  accountsOf,
  botFiltersFromSearch,
  botFiltersToSearch,
  filterAndSortBots,
} from "../src/app/(dashboard)/bots/bot-filters";
import type { BotListItem } from "../src/server/routers/bots/list";

function bot(overrides: Partial<BotListItem> & { symbol: string }): BotListItem {
  return {
    id: `bot-${overrides.symbol}-${overrides.account?.id ?? "a1"}`,
    account: { id: "a1", name: "Main desk", venue: "SIMULATOR", environment: "SIMULATOR" },
    desiredState: "RUNNING",
    actualState: "QUOTING",
    stateReason: null,
    stateChangedAt: new Date("2026-12-01T10:00:00Z"),
    configVersion: 1,
    ...overrides,
  };
}

const hedge = { id: "a2", name: "Hedge account", venue: "BINANCE", environment: "TESTNET" };
const BOTS = [
  bot({ symbol: "ETHUSDT", configVersion: 3, stateChangedAt: new Date("2026-12-01T12:00:00Z") }),
  bot({ symbol: "BTCUSDT", actualState: "DEGRADED" }),
  bot({ symbol: "BNBUSDT", account: hedge, desiredState: "STOPPED", actualState: "STOPPED", configVersion: null }),
  bot({ symbol: "SOLUSDT", account: hedge, actualState: "FAULTED", stateChangedAt: new Date("2026-12-01T11:00:00Z") }),
];
const symbols = (filters: Partial<typeof NO_BOT_FILTERS>) => filterAndSortBots(BOTS, { ...NO_BOT_FILTERS, ...filters }).map((entry) => entry.symbol);

describe("the Bots page's search, filters and sort", () => {
  it("search a symbol or an account name, in any case", () => {
    expect(symbols({ query: "eth" })).toEqual(["ETHUSDT"]);
    expect(symbols({ query: "HEDGE" })).toEqual(["BNBUSDT", "SOLUSDT"]);
    expect(symbols({ query: "  usdt " })).toHaveLength(4);
    expect(symbols({ query: "XRP" })).toEqual([]);
  });

  it("filter by account and by actual state, or by not being as desired", () => {
    expect(symbols({ account: "a1" })).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(symbols({ state: "QUOTING" })).toEqual(["ETHUSDT"]);
    // DEGRADED still does what RUNNING asks for; FAULTED does not.
    expect(symbols({ state: "attention" })).toEqual(["SOLUSDT"]);
    expect(symbols({ account: "a2", state: "STOPPED", query: "bnb" })).toEqual(["BNBUSDT"]);
  });

  it("sort by each column both ways, ties by symbol", () => {
    expect(symbols({})).toEqual(["BNBUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT"]);
    expect(symbols({ direction: "desc" })).toEqual(["SOLUSDT", "ETHUSDT", "BTCUSDT", "BNBUSDT"]);
    expect(symbols({ sort: "account" })).toEqual(["BNBUSDT", "SOLUSDT", "BTCUSDT", "ETHUSDT"]);
    expect(symbols({ sort: "state" })).toEqual(["SOLUSDT", "BTCUSDT", "ETHUSDT", "BNBUSDT"]);
    expect(symbols({ sort: "desired", direction: "desc" })).toEqual(["BNBUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT"]);
    expect(symbols({ sort: "changed", direction: "desc" })).toEqual(["ETHUSDT", "SOLUSDT", "BNBUSDT", "BTCUSDT"]);
    // No approved config sorts below version 1.
    expect(symbols({ sort: "config", direction: "asc" })).toEqual(["BNBUSDT", "BTCUSDT", "SOLUSDT", "ETHUSDT"]);
  });

  it("round-trip through the URL, which names only what differs from the default", () => {
    expect(botFiltersToSearch(NO_BOT_FILTERS)).toBe("");
    const filters = { query: "eth", state: "attention", account: "a2", sort: "changed", direction: "desc" } as const;
    const search = botFiltersToSearch(filters);
    expect(search).toBe("?q=eth&state=attention&account=a2&sort=changed&dir=desc");
    expect(botFiltersFromSearch(new URLSearchParams(search))).toEqual(filters);
    // A column's first direction is implied by the column alone.
    expect(botFiltersFromSearch(new URLSearchParams("sort=changed"))).toMatchObject({ sort: "changed", direction: "desc" });
  });

  it("read values they do not know as no filter and the default sort", () => {
    expect(botFiltersFromSearch(new URLSearchParams("state=SLEEPING&sort=colour&dir=sideways"))).toEqual(NO_BOT_FILTERS);
  });

  it("offer each account once, by name", () => {
    expect(accountsOf(BOTS)).toEqual([
      { id: "a2", name: "Hedge account" },
      { id: "a1", name: "Main desk" },
    ]);
  });
});
