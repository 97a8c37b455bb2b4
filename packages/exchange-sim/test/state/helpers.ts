// Shared parts of the state-directory tests: a simulator on a quiet market (no public book, so only our own
// orders trade with each other), two accounts, and signed REST calls through the server helpers.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startExchangeSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/index";
import { EmptyMarket } from "../../src/market/empty";
import { rest, type RestReply } from "../server/helpers";

export const maker = { apiKey: "state-maker-key", apiSecret: "state-maker-secret" };
export const taker = { apiKey: "state-taker-key", apiSecret: "state-taker-secret" };

export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), "exchange-sim-state-"));
}

export async function startQuietSim(dir: string | undefined, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startExchangeSimulator({
    symbols: ["BTCUSDT"],
    market: { models: { BTCUSDT: new EmptyMarket("BTCUSDT") } },
    accounts: [
      { ...maker, balances: { USDT: "1000000", BTC: "10" } },
      { ...taker, balances: { USDT: "1000000", BTC: "10" } },
    ],
    ...(dir !== undefined ? { stateDir: dir } : {}),
    ...options,
  });
}

/** A signed call as one of the two accounts; fails the test on a non-2xx answer unless `expectStatus` says. */
export async function signed(
  sim: RunningSimulator,
  who: { apiKey: string; apiSecret: string },
  method: string,
  path: string,
  params: Record<string, string | number>,
  expectStatus = 200,
): Promise<RestReply> {
  const reply = await rest(sim, method, path, params, { signed: true, key: who.apiKey, secret: who.apiSecret });
  if (reply.status !== expectStatus) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
}

export interface Balance {
  asset: string;
  free: string;
  locked: string;
}

export async function balances(sim: RunningSimulator, who: { apiKey: string; apiSecret: string }): Promise<Balance[]> {
  const reply = await signed(sim, who, "GET", "/api/v3/account", { omitZeroBalances: "true" });
  return (reply.body as { balances: Balance[] }).balances;
}
