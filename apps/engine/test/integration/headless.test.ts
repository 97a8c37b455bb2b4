// Headless mode end to end: `main.ts --config FILE` as a child process, no database, against the simulator.
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killEngine, SteeredMarket, spawnEngineProcess, until, type EngineProcess } from "./harness";

let sim: RunningSimulator;
let dir: string;
let accountId: string;
const market = new SteeredMarket("BTCUSDT");
const engines: EngineProcess[] = [];

beforeAll(async () => {
  sim = await startExchangeSimulator({
    port: 0,
    symbols: ["BTCUSDT"],
    accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: { USDT: "1000000", BTC: "20" } }],
    market: { models: { BTCUSDT: market } },
  });
  accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
  dir = await mkdtemp(join(tmpdir(), "bk-headless-it-"));
});
afterAll(async () => {
  for (const engine of engines) await killEngine(engine);
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

function headless(file: string): EngineProcess {
  const engine = spawnEngineProcess(
    { SIMULATOR_URL: sim.baseUrl, HEADLESS_SIM_KEY: DEMO_SIMULATOR_CREDENTIALS.apiKey, HEADLESS_SIM_SECRET: DEMO_SIMULATOR_CREDENTIALS.apiSecret },
    ["--config", file],
  );
  engines.push(engine);
  return engine;
}

describe("headless mode", () => {
  it("quotes the file's bot on the simulator without a database and cancels everything on SIGTERM", async () => {
    const file = join(dir, "bots.yaml");
    await writeFile(
      file,
      [
        "accounts:",
        "  - { name: sim, venue: SIMULATOR, apiKey: '${HEADLESS_SIM_KEY}', apiSecret: '${HEADLESS_SIM_SECRET}' }",
        "bots:",
        "  - account: sim",
        "    symbol: BTCUSDT",
        "    config: { band: { minSpread: 0.003, maxSpread: 0.005 } }",
        "",
      ].join("\n"),
    );
    const engine = headless(file);
    const open = await until(
      () => {
        const orders = sim.exchange.openOrders(accountId, "BTCUSDT");
        return orders.some((o) => o.side === "BUY") && orders.some((o) => o.side === "SELL") ? orders : undefined;
      },
      20_000,
      "BTCUSDT two-sided",
    );
    // The file's band, not the default one: every quote 0.3%-0.5% from the mid.
    for (const order of open) {
      const distance = new Decimal(order.price).minus(market.midPrice).abs().div(market.midPrice);
      expect(distance.gte(0.0029) && distance.lte(0.0051)).toBe(true);
    }
    await until(() => (engine.logs.some((line) => line.msg === "bot state" && line.to === "QUOTING") ? true : undefined), 5_000, "the QUOTING log line");

    engine.child.kill("SIGTERM");
    expect(await engine.exited).toEqual({ code: 0, signal: null });
    expect(sim.exchange.openOrders(accountId, "BTCUSDT")).toEqual([]);
    const kpi = engine.logs.find((line) => line.msg === "kpi minute");
    expect(kpi).toBeDefined();
    expect(kpi?.runningMs).toBeGreaterThan(0);
  }, 40_000);

  // Issue 13: the simulator knows only the account's public key, so every request the bot signs (WebSocket API orders,
  // REST reconciliation, the user-data subscription) must carry a valid Ed25519 signature.
  it("quotes with an Ed25519 key: the private key (PEM) from the environment, the simulator verifying signatures", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const edKey = "headless-ed25519-key";
    sim.addAccount({ apiKey: edKey, ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(), balances: { USDT: "1000000", BTC: "20" } });
    const edAccountId = sim.exchange.accountByApiKey(edKey)!.accountId;
    const file = join(dir, "ed25519.yaml");
    await writeFile(
      file,
      [
        "accounts:",
        "  - { name: sim-ed, venue: SIMULATOR, apiKey: '${HEADLESS_ED_KEY}', ed25519PrivateKey: '${HEADLESS_ED_PEM}' }",
        "bots:",
        "  - { account: sim-ed, symbol: BTCUSDT, config: { band: { minSpread: 0.003, maxSpread: 0.005 } } }",
        "",
      ].join("\n"),
    );
    const engine = spawnEngineProcess(
      { SIMULATOR_URL: sim.baseUrl, HEADLESS_ED_KEY: edKey, HEADLESS_ED_PEM: privateKey.export({ format: "pem", type: "pkcs8" }).toString() },
      ["--config", file],
    );
    engines.push(engine);
    await until(
      () => {
        const orders = sim.exchange.openOrders(edAccountId, "BTCUSDT");
        return orders.some((o) => o.side === "BUY") && orders.some((o) => o.side === "SELL") ? orders : undefined;
      },
      20_000,
      "BTCUSDT two-sided on the Ed25519 account",
    );
    engine.child.kill("SIGTERM");
    expect(await engine.exited).toEqual({ code: 0, signal: null });
    expect(sim.exchange.openOrders(edAccountId, "BTCUSDT")).toEqual([]);
    // No request was refused for its signature (-1022) on the way.
    expect(engine.logs.filter((line) => JSON.stringify(line).includes("-1022"))).toEqual([]);
  }, 40_000);

  it("refuses an invalid file with exit code 1 and a message naming the file, the path and the reason", async () => {
    const file = join(dir, "broken.yaml");
    await writeFile(file, "accounts:\n  - { name: sim, venue: SIMULATOR, apiKey: k, apiSecret: s }\nbots:\n  - { account: sim, symbol: BTCUSDT, config: { band: { minSpread: 0.01, maxSpread: 0.004 } } }\n");
    const engine = headless(file);
    expect((await engine.exited).code).toBe(1);
    const message = engine.stderr.join("");
    expect(message).toContain(`Invalid headless config ${file}:`);
    expect(message).toMatch(/bots\[0\]\.config\.band/);
  }, 30_000);
});
