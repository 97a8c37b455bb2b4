// Paper accounts on the bundled simulator, against real Postgres and a real simulator with a state directory:
// the procedure provisions the account with the chosen balances, proves the keys it made, stores them like any
// account's, and the account trades and survives the simulator's restart.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decryptSecret } from "@bandkeeper/db/crypto";
import type { TestDatabase } from "@bandkeeper/db/testing";
import { type RunningSimulator, startExchangeSimulator } from "@bandkeeper/exchange-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/server/routers";
import { MATRIX_ENCRYPTION_KEY, type MatrixWorld, openMatrixWorld } from "./permissions/harness";
import { fieldIssues, rejection } from "./support/rejection";

let database: TestDatabase;
let world: MatrixWorld;
let simulator: RunningSimulator;
const stateDir = mkdtempSync(join(tmpdir(), "web-paper-"));

// The bundled simulator as `npm start` runs it: its accounts live in a state directory.
function startBundledSimulator(port = 0): Promise<RunningSimulator> {
  return startExchangeSimulator({ port, symbols: ["BTCUSDT"], stateDir });
}

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_paper_accounts"));
  simulator = await startBundledSimulator();
  // Read by the server's env() on the first procedure call, after this.
  process.env.SIMULATOR_URL = simulator.baseUrl;
});

afterAll(async () => {
  await simulator?.close();
  await world?.close();
  await database?.drop();
  rmSync(stateDir, { recursive: true, force: true });
});

const as = (role: keyof MatrixWorld["members"]) => createCaller({ db: database.prisma, user: world.members[role] });
const paper = (overrides: Partial<{ name: string; balances: Record<string, string> }> = {}) => ({
  name: `Paper ${world.unique()}`,
  ...overrides,
  balances: { USDT: "250000", BTC: "2.5", ETH: "", BNB: "0", ...overrides.balances },
});

async function storedKeys(accountId: string) {
  const row = await database.prisma.exchangeAccount.findUniqueOrThrow({ where: { id: accountId } });
  return {
    row,
    apiKey: decryptSecret(row.apiKeyCiphertext, MATRIX_ENCRYPTION_KEY),
    apiSecret: decryptSecret(row.apiSecretCiphertext, MATRIX_ENCRYPTION_KEY),
  };
}

// A signed Binance request as any exchange client sends it.
async function signed(keys: { apiKey: string; apiSecret: string }, method: string, path: string, params: Record<string, string>) {
  const query = new URLSearchParams({ ...params, timestamp: String(Date.now()) }).toString();
  const signature = createHmac("sha256", keys.apiSecret).update(query).digest("hex");
  const response = await fetch(`${simulator.baseUrl}${path}?${query}&signature=${signature}`, {
    method,
    headers: { "X-MBX-APIKEY": keys.apiKey },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("accounts.createPaper", () => {
  it("provisions the account on the simulator with the chosen balances and stores its keys encrypted", async () => {
    const input = paper();
    const created = await as("ADMIN").accounts.createPaper(input);

    const { row, apiKey, apiSecret } = await storedKeys(created.id);
    expect(row).toMatchObject({ name: input.name, venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: null, status: "ACTIVE" });
    expect(row.apiSecretCiphertext).not.toContain(apiSecret);
    expect(created.keyFingerprint).not.toContain(apiKey);
    expect(apiKey).toMatch(/^[0-9a-f]{64}$/);
    expect(created.keyFingerprint).toBe(`${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`);

    const balances = await as("VIEWER").accounts.balances({ accountId: created.id });
    expect(balances).toMatchObject({
      canTrade: true,
      // Sorted by asset for display; zero balances left out.
      balances: [
        { asset: "BTC", free: "2.5", locked: "0" },
        { asset: "USDT", free: "250000", locked: "0" },
      ],
    });

    const audit = await database.prisma.auditLog.findFirstOrThrow({ where: { entityId: created.id } });
    expect(audit).toMatchObject({ action: "account.create", actorId: world.members.ADMIN.id });
    expect(audit.payload).toMatchObject({ paper: true, startingBalances: { USDT: "250000", BTC: "2.5" } });
    expect(JSON.stringify(audit.payload)).not.toContain(apiSecret);
  });

  it("names each invalid field: the name, an amount that is not one, and no balance at all", async () => {
    const bad = await rejection(as("OWNER").accounts.createPaper(paper({ name: " ", balances: { BTC: "1.5e3", ETH: "-2" } })));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(fieldIssues(bad).map((issue) => issue.path).sort()).toEqual(["balances.BTC", "balances.ETH", "name"]);
    expect(fieldIssues(bad).find((issue) => issue.path === "balances.BTC")?.message).toMatch(/Enter an amount like 1000000 or 0\.5/);

    const precise = await rejection(as("OWNER").accounts.createPaper(paper({ balances: { BTC: "0.123456789" } })));
    expect(fieldIssues(precise).map((issue) => issue.path)).toEqual(["balances.BTC"]);

    const empty = await rejection(as("OWNER").accounts.createPaper(paper({ balances: { USDT: "0", BTC: "", ETH: "", BNB: "" } })));
    expect(fieldIssues(empty).map((issue) => issue.path)).toEqual(["balances.USDT"]);
    expect(fieldIssues(empty)[0]?.message).toMatch(/at least one starting balance/);
  });

  it("refuses a name another account of the team has, before creating anything on the simulator", async () => {
    const input = paper();
    await as("ADMIN").accounts.createPaper(input);
    const error = await rejection(as("ADMIN").accounts.createPaper(input));
    expect(fieldIssues(error).map((issue) => issue.path)).toEqual(["name"]);
    expect(await database.prisma.exchangeAccount.count({ where: { teamId: world.teamId, name: input.name } })).toBe(1);
  });

  it("is for owners and admins, as adding any exchange account is", async () => {
    const error = await rejection(as("TRADER").accounts.createPaper(paper()));
    expect(error.code).toBe("FORBIDDEN");
  });

  it("trades, and keeps its balances and resting orders across a restart of the simulator; says so when the simulator is down", async () => {
    const created = await as("ADMIN").accounts.createPaper(paper({ balances: { USDT: "100000", BTC: "1" } }));
    const keys = await storedKeys(created.id);

    // A bot's two quotes of 10,000 USDT each, 0.3% from the market.
    const ticker = (await (await fetch(`${simulator.baseUrl}/api/v3/ticker/bookTicker?symbol=BTCUSDT`)).json()) as { bidPrice: string; askPrice: string };
    const bidPrice = (Number(ticker.bidPrice) * 0.997).toFixed(2);
    const askPrice = (Number(ticker.askPrice) * 1.003).toFixed(2);
    const bid = await signed(keys, "POST", "/api/v3/order", { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity: (10000 / Number(bidPrice)).toFixed(5), price: bidPrice, newClientOrderId: "paper-bid" });
    const ask = await signed(keys, "POST", "/api/v3/order", { symbol: "BTCUSDT", side: "SELL", type: "LIMIT_MAKER", quantity: (10000 / Number(askPrice)).toFixed(5), price: askPrice, newClientOrderId: "paper-ask" });
    expect([bid.status, ask.status]).toEqual([200, 200]);
    const before = await as("ADMIN").accounts.balances({ accountId: created.id });
    expect(before.balances.find((balance) => balance.asset === "USDT")?.locked).not.toBe("0");

    const port = simulator.port;
    await simulator.close();
    const down = await rejection(as("ADMIN").accounts.createPaper(paper()));
    expect(down.code).toBe("BAD_GATEWAY");
    expect(down.message).toMatch(/bundled simulator at http:\/\/127\.0\.0\.1:\d+ did not answer/);

    simulator = await startBundledSimulator(port);
    expect((await as("ADMIN").accounts.balances({ accountId: created.id })).balances).toEqual(before.balances);
    const open = await signed(keys, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" });
    expect((open.body as unknown as { clientOrderId: string }[]).map((order) => order.clientOrderId).sort()).toEqual(["paper-ask", "paper-bid"]);
    const cancelled = await signed(keys, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "paper-bid" });
    expect(cancelled.body).toMatchObject({ orderId: bid.body.orderId, status: "CANCELED" });
  });
});
