// Where an exchange account's traffic goes: Binance's own endpoints by environment, or the simulator's address.
import { DEMO_BASE_URLS, MAINNET_BASE_URLS, TESTNET_BASE_URLS, simulatorBaseUrls, type BinanceBaseUrls } from "@bandkeeper/binance";

export interface VenueAccount {
  venue: "BINANCE" | "SIMULATOR";
  environment: "MAINNET" | "TESTNET" | "DEMO" | "SIMULATOR";
  baseUrl: string | null;
}

export class VenueConfigError extends Error {
  override name = "VenueConfigError";
}

export function baseUrlsFor(account: VenueAccount, defaultSimulatorUrl: string): BinanceBaseUrls {
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
