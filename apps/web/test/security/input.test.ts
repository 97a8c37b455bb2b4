// Issue 12, finding 6: input that used to crash or slip through. Full-width digits reached new Decimal() (a raw
// DecimalError, no field), a 61-digit minNotional was approved, a NUL byte in a name was a 500 from Postgres, and
// proposeBot accepted a symbol the venue does not list. Each is now a field error naming its field.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "../../src/server/routers";
import type { SessionUser } from "../../src/server/trpc";
import { type MatrixWorld, openMatrixWorld } from "../permissions/harness";
import { fieldIssues, rejection } from "../support/rejection";

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_input"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser) => createCaller({ db: database.prisma, user });

async function fields(call: Promise<unknown>): Promise<Record<string, string>> {
  const error = await rejection(call);
  expect(error.code).toBe("BAD_REQUEST");
  return Object.fromEntries(fieldIssues(error).map((issue) => [issue.path, issue.message]));
}

const NUL = "\u0000";
const CONTROL = "Use printable characters only (no control characters such as NUL).";

describe("decimal amounts", () => {
  const propose = async (config: unknown) =>
    as(world.members.TRADER).changes.proposeConfig({ botId: (await world.createBot()).id, baseVersion: null, config: config as never, reason: "input" });

  it.each([
    ["full-width digits", { minNotional: "１0000" }, "config.minNotional", /digits 0-9/],
    ["a NUL byte", { minNotional: `10000${NUL}` }, "config.minNotional", /digits 0-9/],
    ["61 digits", { minNotional: "1".repeat(61) }, "config.minNotional", /^must be at most 1000000000$/],
    ["a 61-digit position limit", { risk: { maxBasePosition: "9".repeat(61) } }, "config.risk.maxBasePosition", /^must be at most/],
  ])("%s is a field error on its field, and nothing is proposed", async (_case, config, path, message) => {
    const before = await database.prisma.changeRequest.count();
    const errors = await fields(propose(config));
    expect(Object.keys(errors)).toEqual([path]);
    expect(errors[path]).toMatch(message);
    expect(await database.prisma.changeRequest.count()).toBe(before);
  });

  it("refuses to approve a 61-digit minNotional proposed before the bound existed", async () => {
    const bot = await world.createBot();
    const proposer = await world.createMember("TRADER");
    const request = await database.prisma.changeRequest.create({
      data: {
        teamId: world.teamId,
        botId: bot.id,
        kind: "UPDATE_CONFIG",
        proposerId: proposer.id,
        reason: "legacy",
        baseVersion: null,
        diff: [{ path: "minNotional", old: "10000", new: "1".repeat(61) }],
        proposedConfig: { minNotional: "1".repeat(61) },
      },
    });
    const error = await rejection(as(world.members.ADMIN).changes.approve({ id: request.id }));
    expect(error.message).toBe("The proposed config is no longer valid (minNotional: must be at most 1000000000); reject it.");
    expect(await database.prisma.botConfigVersion.count({ where: { botId: bot.id } })).toBe(0);
  });

  it("reaches the browser as a 400 naming the field, not a DecimalError", async () => {
    const bot = await world.createBot();
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/changes.proposeConfig", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(superjson.serialize({ botId: bot.id, baseVersion: null, config: { minNotional: "１0000" }, reason: "input" })),
      }),
      router: appRouter,
      createContext: () => ({ db: database.prisma, user: world.members.TRADER }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain("DecimalError");
    const body = JSON.parse(text) as { error: { json: { data: { appCode: string; fieldErrors: { path: string }[] } } } };
    expect(body.error.json.data.appCode).toBe("INVALID_INPUT");
    expect(body.error.json.data.fieldErrors.map((issue) => issue.path)).toEqual(["config.minNotional"]);
  });

  it("refuses a paper account's starting balance in full-width digits on its field", async () => {
    const errors = await fields(as(world.members.ADMIN).accounts.createPaper({ name: `Paper ${world.unique()}`, balances: { USDT: "１0000", BTC: "", ETH: "", BNB: "" } }));
    expect(Object.keys(errors)).toEqual(["balances.USDT"]);
  });
});

describe("control characters", () => {
  it("are a field error in every name and free text, and nothing is written", async () => {
    const { ADMIN, TRADER } = world.members;
    const before = await database.prisma.auditLog.count();
    expect(
      await fields(as(ADMIN).accounts.create({ name: `Desk${NUL}`, venue: "SIMULATOR", apiKey: world.simulator.apiKey, apiSecret: world.simulator.apiSecret })),
    ).toEqual({ name: CONTROL });
    expect(await fields(as(ADMIN).accounts.create({ name: "Desk", venue: "SIMULATOR", apiKey: `key${NUL}`, apiSecret: world.simulator.apiSecret }))).toEqual({
      apiKey: "Paste it exactly as the exchange shows it: letters, digits and symbols only.",
    });
    expect(await fields(as(ADMIN).alerts.createChannel({ name: `ops${NUL}`, type: "EMAIL", config: { recipients: ["ops@example.com"] } }))).toEqual({ name: CONTROL });
    expect(
      await fields(as(ADMIN).alerts.createChannel({ name: "ops", type: "WEBHOOK", config: { url: `https://hooks.example.com/x${NUL}`, format: "json" } })),
    ).toMatchObject({ "config.url": CONTROL });
    expect(
      await fields(
        as(ADMIN).alerts.createRule({ name: `rule${NUL}`, kind: "BOT_STOPPED", botId: null, threshold: null, windowSeconds: null, escalateAfterMinutes: 30, enabled: true, channelIds: [] }),
      ),
    ).toEqual({ name: CONTROL });
    const bot = await world.createBot();
    expect(await fields(as(TRADER).changes.proposeConfig({ botId: bot.id, baseVersion: null, config: {}, reason: `why${NUL}` }))).toEqual({ reason: CONTROL });
    expect(await fields(as(TRADER).bots.emergencyStop({ botId: bot.id, reason: `stop${NUL}` }))).toEqual({ reason: CONTROL });
    const request = await as(TRADER).changes.proposeConfig({ botId: bot.id, baseVersion: null, config: { ordersPerSide: 2 }, reason: "ok" });
    expect(await fields(as(ADMIN).changes.reject({ id: request.id, comment: `no${NUL}` }))).toEqual({ comment: CONTROL });
    // The proposal above is the one entry written.
    expect(await database.prisma.auditLog.count()).toBe(before + 1);
  });
});

describe("proposeBot and the venue's symbols", () => {
  const propose = async (symbol: string, config: object = {}) =>
    as(world.members.TRADER).changes.proposeBot({ exchangeAccountId: (await world.createAccount()).id, symbol, config, reason: "new pair" });

  it("refuses a symbol the account's venue does not list, on the symbol field", async () => {
    const errors = await fields(propose("XRPUSDT"));
    expect(Object.keys(errors)).toEqual(["symbol"]);
    expect(errors.symbol).toMatch(/exchange does not list XRPUSDT$/);
    expect(await database.prisma.changeRequest.count({ where: { symbol: "XRPUSDT" } })).toBe(0);
  });

  it("refuses an order size above the symbol's maxNotional and, at the current price, its maxQty", async () => {
    // The simulator's BTCUSDT: maxNotional 9,000,000 USDT, maxQty 9000 BTC, price about 60,000.
    expect(await fields(propose("BTCUSDT", { minNotional: "9000000" }))).toEqual({
      "config.minNotional": "an order of 9450000 USDT is above BTCUSDT's maxNotional of 9000000",
    });
    const both = fieldIssues(await rejection(propose("BTCUSDT", { minNotional: "600000000" })));
    expect(both.map((issue) => issue.path)).toEqual(["config.minNotional", "config.minNotional"]);
    expect(both[1]?.message).toMatch(/^an order of 630000000 USDT is [\d.]+ BTC at the current price, above BTCUSDT's maxQty of 9000$/);
  });

  it("lets a listed symbol with a config inside its limits through", async () => {
    await expect(propose("BTCUSDT")).resolves.toMatchObject({ kind: "CREATE_BOT", symbol: "BTCUSDT", status: "PENDING" });
  });
});
