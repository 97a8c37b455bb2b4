// The stack's exchange simulator as tests see it: fresh accounts through its admin API, and what an account has
// resting on the book through Binance's own signed REST endpoint, as any exchange client would ask.
import { createHmac, randomBytes } from "node:crypto";
import { SIMULATOR_URL_VARIABLE } from "./constants";

export interface SimulatorAccount {
  apiKey: string;
  apiSecret: string;
}

export interface SimulatorOpenOrder {
  symbol: string;
  clientOrderId: string;
  side: "BUY" | "SELL";
  price: string;
  origQty: string;
  status: string;
}

export function simulatorUrl(): string {
  const url = process.env[SIMULATOR_URL_VARIABLE];
  if (!url) throw new Error(`${SIMULATOR_URL_VARIABLE} is not set: run the tests through playwright.config.ts`);
  return url;
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A new account on the simulator with an HMAC key pair of its own and enough funds to quote every demo symbol. */
export async function createSimulatorAccount(
  balances: Record<string, string> = { USDT: "1000000", BTC: "20", ETH: "400", BNB: "2000" },
): Promise<SimulatorAccount> {
  const account = { apiKey: `e2e-${randomBytes(6).toString("hex")}`, apiSecret: randomBytes(24).toString("hex") };
  const response = await fetch(`${simulatorUrl()}/admin/accounts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...account, balances }),
  });
  await expectOk(response, "POST /admin/accounts");
  return account;
}

/** GET /api/v3/openOrders, signed with the account's HMAC secret. */
export async function openOrders(account: SimulatorAccount, symbol: string): Promise<SimulatorOpenOrder[]> {
  const query = new URLSearchParams({ symbol, timestamp: String(Date.now()) }).toString();
  const signature = createHmac("sha256", account.apiSecret).update(query).digest("hex");
  const response = await fetch(`${simulatorUrl()}/api/v3/openOrders?${query}&signature=${signature}`, {
    headers: { "X-MBX-APIKEY": account.apiKey },
  });
  return (await expectOk(response, "GET /api/v3/openOrders")) as SimulatorOpenOrder[];
}
