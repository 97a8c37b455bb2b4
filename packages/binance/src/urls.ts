/** Where the three services live. `streams` is the combined-stream endpoint (`.../stream`), `wsApi` ends in /ws-api/v3. */
export interface BinanceBaseUrls {
  rest: string;
  streams: string;
  wsApi: string;
}

export const MAINNET_BASE_URLS: BinanceBaseUrls = {
  rest: "https://api.binance.com",
  streams: "wss://stream.binance.com:9443/stream",
  wsApi: "wss://ws-api.binance.com:443/ws-api/v3",
};

export const TESTNET_BASE_URLS: BinanceBaseUrls = {
  rest: "https://testnet.binance.vision",
  streams: "wss://stream.testnet.binance.vision/stream",
  wsApi: "wss://ws-api.testnet.binance.vision/ws-api/v3",
};

export const DEMO_BASE_URLS: BinanceBaseUrls = {
  rest: "https://demo-api.binance.com",
  streams: "wss://demo-stream.binance.com/stream",
  wsApi: "wss://demo-ws-api.binance.com/ws-api/v3",
};

/** The bundled simulator serves all three from one HTTP origin. */
export function simulatorBaseUrls(httpBase: string): BinanceBaseUrls {
  const rest = httpBase.replace(/\/+$/, "");
  const ws = rest.replace(/^http(s?):\/\//, (_m, s: string) => `ws${s}://`);
  return { rest, streams: `${ws}/stream`, wsApi: `${ws}/ws-api/v3` };
}

/** An exchange account's venue columns as the database stores them. */
export interface VenueAccount {
  venue: "BINANCE" | "SIMULATOR";
  environment: "MAINNET" | "TESTNET" | "DEMO" | "SIMULATOR";
  baseUrl: string | null;
}

export class VenueConfigError extends Error {
  override name = "VenueConfigError";
}

/**
 * Where an account's traffic goes, for the engine and the dashboard alike: a simulator account at its own address or
 * the default simulator's; a Binance account at an address of its own (a proxy, a local simulator) or its
 * environment's documented endpoints.
 */
export function accountBaseUrls(account: VenueAccount, defaultSimulatorUrl: string): BinanceBaseUrls {
  if (account.venue === "SIMULATOR") return simulatorBaseUrls(account.baseUrl ?? defaultSimulatorUrl);
  if (account.baseUrl) return simulatorBaseUrls(account.baseUrl);
  switch (account.environment) {
    case "MAINNET":
      return MAINNET_BASE_URLS;
    case "TESTNET":
      return TESTNET_BASE_URLS;
    case "DEMO":
      return DEMO_BASE_URLS;
    case "SIMULATOR":
      throw new VenueConfigError("a BINANCE account cannot use the SIMULATOR environment without a base URL");
  }
}
