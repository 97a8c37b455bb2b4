// One default-config bot on a simulated thin pair over real sockets (headless fleet, no database): the rig the
// thin-market integration tests share.
import { parseBotConfig } from "@bandkeeper/core";
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import type { MarketFeedSettings } from "../../src/exchange/market-feed";
import { HeadlessFleet } from "../../src/headless/fleet";
import { createLogger } from "../../src/observability/log";
import { EngineMetrics } from "../../src/observability/metrics";
import { wallClock } from "../../src/wall-clock";
import type { ThinMarket } from "./thin-market";

export const THIN_SYMBOL = "BTCUSDT";

export interface ThinFleet {
  sim: RunningSimulator;
  /** Not started: the test starts it when its clock should start. */
  fleet: HeadlessFleet;
  accountId: string;
  /** Both sides resting on the simulator. */
  twoSided(): boolean;
  close(): Promise<void>;
}

export async function thinFleet(
  market: ThinMarket,
  options: { botId: string; marketFeed?: Partial<MarketFeedSettings>; onLogLine?: (line: string) => void },
): Promise<ThinFleet> {
  const sim = await startExchangeSimulator({
    port: 0,
    symbols: [THIN_SYMBOL],
    accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: { USDT: "1000000", BTC: "20" } }],
    market: { models: { [THIN_SYMBOL]: market } },
  });
  const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
  const config = parseBotConfig({});
  if (!config.ok) throw new Error("default config invalid");
  const verbose = process.env.ENGINE_TEST_LOG === "1";
  const fleet = new HeadlessFleet({
    config: {
      file: `${options.botId}.test`,
      accounts: [{ name: "sim", venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: sim.baseUrl, apiKey: DEMO_SIMULATOR_CREDENTIALS.apiKey, signing: { apiSecret: DEMO_SIMULATOR_CREDENTIALS.apiSecret } }],
      bots: [{ id: options.botId, account: "sim", symbol: THIN_SYMBOL, config: config.config }],
    },
    defaultSimulatorUrl: sim.baseUrl,
    clock: wallClock,
    logger: options.onLogLine
      ? createLogger({
          level: "info",
          write: (line) => {
            options.onLogLine!(line);
            if (verbose) console.log(line);
          },
        })
      : createLogger({ level: verbose ? "debug" : "error" }),
    metrics: new EngineMetrics(),
    ...(options.marketFeed ? { marketFeed: options.marketFeed } : {}),
  });
  const twoSided = () => {
    const open = sim.exchange.openOrders(accountId, THIN_SYMBOL);
    return open.some((o) => o.side === "BUY") && open.some((o) => o.side === "SELL");
  };
  return {
    sim,
    fleet,
    accountId,
    twoSided,
    close: async () => {
      await fleet.stop();
      await sim.close();
    },
  };
}
