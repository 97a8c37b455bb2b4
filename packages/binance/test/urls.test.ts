import { describe, expect, it } from "vitest";
import { MAINNET_BASE_URLS, TESTNET_BASE_URLS, VenueConfigError, accountBaseUrls, type VenueAccount } from "../src";

const simulator = "http://127.0.0.1:8765";

describe("accountBaseUrls", () => {
  it.each<[string, VenueAccount, unknown]>([
    ["a simulator account without an address of its own: the default simulator", { venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: null }, {
      rest: simulator,
      streams: "ws://127.0.0.1:8765/stream",
      wsApi: "ws://127.0.0.1:8765/ws-api/v3",
    }],
    ["a simulator account with its own address", { venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: "https://sim.example:9000/" }, {
      rest: "https://sim.example:9000",
      streams: "wss://sim.example:9000/stream",
      wsApi: "wss://sim.example:9000/ws-api/v3",
    }],
    ["Binance mainnet", { venue: "BINANCE", environment: "MAINNET", baseUrl: null }, MAINNET_BASE_URLS],
    ["Binance testnet", { venue: "BINANCE", environment: "TESTNET", baseUrl: null }, TESTNET_BASE_URLS],
  ])("%s", (_name, account, expected) => {
    expect(accountBaseUrls(account, simulator)).toEqual(expected);
  });

  it("refuses a Binance account in the simulator environment without an address", () => {
    expect(() => accountBaseUrls({ venue: "BINANCE", environment: "SIMULATOR", baseUrl: null }, simulator)).toThrow(VenueConfigError);
  });
});
