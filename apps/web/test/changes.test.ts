// Change requests through the tRPC procedures against a real database: proposals validated with the engine's
// schema, decisions by another member with the right role, and the conflicts that must never merge silently.
import { randomBytes } from "node:crypto";
import { type BotConfig, defaultBotConfig, parseBotConfig } from "@bandkeeper/core/config";
import { DEFAULT_BOT_CONFIG, DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { type RunningSimulator, startExchangeSimulator } from "@bandkeeper/exchange-sim";
import { defaultSymbols } from "@bandkeeper/exchange-sim/exchange/instruments";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "../src/server/errors";
import type { TeamRole } from "../src/server/permissions";
import { appRouter, createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { type OtherTeam, createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";

const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let database: TestDatabase;
let demoTeamId: string;
let demoAccountId: string;
const members = {} as Record<TeamRole, SessionUser>;
let secondAdmin: SessionUser;
let outsider: OtherTeam;
let simulator: RunningSimulator;
let symbolCounter = 0;
let listedCounter = 0;

// New bots need a symbol the account's venue lists: the demo account's venue (SIMULATOR_URL) is this simulator,
// listing BTCUSDT and a few pairs shaped like it; its markets move slowly, as nothing here trades.
const LISTED = Array.from({ length: 6 }, (_, i) => `P${i + 1}USDT`);

beforeAll(async () => {
  database = await createTestDatabase(serverUrl, "bk_web_changes");
  const [btc] = defaultSymbols();
  simulator = await startExchangeSimulator({ symbols: [btc!, ...LISTED.map((symbol) => ({ ...btc!, symbol, baseAsset: symbol.replace("USDT", "") }))], tickIntervalMs: 500 });
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    SIMULATOR_URL: simulator.baseUrl,
  });
  const prisma = database.prisma;
  demoTeamId = (await seedDemo(prisma, { encryptionKey: randomBytes(32) })).teamId;
  demoAccountId = (await prisma.exchangeAccount.findFirstOrThrow({ where: { teamId: demoTeamId } })).id;
  for (const login of DEMO_LOGINS) {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
    members[login.role] = { id: user.id, email: user.email, name: user.name, teamId: demoTeamId };
  }
  secondAdmin = await createMember(demoTeamId, "ADMIN", "Ada Second");
  outsider = await createOtherTeam(prisma);
});

afterAll(async () => {
  await simulator?.close();
  await database?.drop();
});

async function createMember(teamId: string, role: TeamRole, name: string): Promise<SessionUser> {
  const email = `${randomBytes(4).toString("hex")}@changes.example`;
  const user = await database.prisma.user.create({ data: { email, name, passwordHash: "unused" } });
  await database.prisma.membership.create({ data: { userId: user.id, teamId, role } });
  return { id: user.id, email, name, teamId };
}

function as(user: SessionUser) {
  return createCaller({ db: database.prisma, user });
}

function nextSymbol(): string {
  symbolCounter += 1;
  return `T${symbolCounter}USDT`;
}

function nextListedSymbol(): string {
  const symbol = LISTED[listedCounter];
  listedCounter += 1;
  if (symbol === undefined) throw new Error("add symbols to LISTED: every new-bot test takes one of its own");
  return symbol;
}

// A fresh demo-desk bot at config v1 (the seed's config), so each test owns its pending request.
async function freshBot(): Promise<{ id: string; symbol: string }> {
  const prisma = database.prisma;
  const symbol = nextSymbol();
  const bot = await prisma.bot.create({ data: { teamId: demoTeamId, exchangeAccountId: demoAccountId, symbol } });
  const version = await prisma.botConfigVersion.create({ data: { botId: bot.id, version: 1, config: DEFAULT_BOT_CONFIG } });
  await prisma.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });
  return { id: bot.id, symbol };
}

function configWith(change: (config: BotConfig) => void): BotConfig {
  const config = structuredClone<BotConfig>(defaultBotConfig);
  change(config);
  return config;
}

const widerBand = configWith((config) => {
  config.band.maxSpread = 0.005;
});

async function propose(user: SessionUser, botId: string, config: BotConfig = widerBand, baseVersion: number | null = 1) {
  return as(user).changes.proposeConfig({ botId, baseVersion, config, reason: "wider band for the listing week" });
}

async function appCode(call: Promise<unknown>): Promise<string> {
  const error = await rejection(call);
  return error instanceof AppError ? error.appCode : error.code;
}

async function auditActions(changeRequestId: string): Promise<string[]> {
  const entries = await database.prisma.auditLog.findMany({ where: { changeRequestId }, orderBy: { createdAt: "asc" } });
  return entries.map((entry) => entry.action);
}

describe("changes.proposeConfig", () => {
  it.each(["OWNER", "ADMIN", "TRADER"] as const)("lets a %s propose, with the diff against the base version", async (role) => {
    const bot = await freshBot();
    const request = await propose(members[role], bot.id);
    expect(request).toMatchObject({
      kind: "UPDATE_CONFIG",
      status: "PENDING",
      botId: bot.id,
      symbol: bot.symbol,
      baseVersion: 1,
      proposer: { id: members[role].id },
      reviewer: null,
      reason: "wider band for the listing week",
      changes: [{ path: "band.maxSpread", old: 0.004, new: 0.005 }],
    });
    expect(await auditActions(request.id)).toEqual(["change_request.propose"]);
  });

  it("refuses a VIEWER", async () => {
    const bot = await freshBot();
    expect(await appCode(propose(members.VIEWER, bot.id))).toBe("PERMISSION_DENIED");
    expect(await database.prisma.changeRequest.count({ where: { botId: bot.id } })).toBe(0);
  });

  it("names every invalid field with its reason, from the engine's schema", async () => {
    const bot = await freshBot();
    const invalid = configWith((config) => {
      config.band.minSpread = 0.005; // not below maxSpread 0.004
      config.risk.maxOpenOrders = 0;
      (config.reference as { method: string }).method = "MEDIAN";
    });
    const error = await rejection(propose(members.TRADER, bot.id, invalid));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.cause).toBeInstanceOf(ZodError);
    const issues = (error.cause as ZodError).issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ["config.reference.method", expect.stringContaining("unknown reference method")],
        ["config.risk.maxOpenOrders", expect.stringMatching(/>0|greater than 0|too small/i)],
      ]),
    );
    // The cross-field band check runs only once every field parses; alone it names minSpread.
    const badBand = configWith((config) => {
      config.band.minSpread = 0.005;
    });
    const bandError = await rejection(propose(members.TRADER, bot.id, badBand));
    expect((bandError.cause as ZodError).issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["config.band.minSpread", "band minSpread (0.005) must be below maxSpread (0.004)"],
    ]);
  });

  it("returns field errors to the browser through the error formatter", async () => {
    const bot = await freshBot();
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/changes.proposeConfig", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          superjson.serialize({
            botId: bot.id,
            baseVersion: 1,
            config: configWith((config) => {
              config.targetFactor = 2;
            }),
            reason: " ",
          }),
        ),
      }),
      router: appRouter,
      createContext: () => ({ db: database.prisma, user: members.TRADER }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { appCode: string; fieldErrors: unknown } } } };
    expect(body.error.json.data.appCode).toBe("INVALID_INPUT");
    expect(body.error.json.data.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: "config.targetFactor", message: expect.stringMatching(/<=1|at most 1|too big/i) as unknown },
        { path: "reason", message: "say why this change is needed" },
      ]),
    );
  });

  it("refuses a proposal that changes nothing", async () => {
    const bot = await freshBot();
    const error = await rejection(propose(members.TRADER, bot.id, defaultBotConfig));
    expect(error.message).toBe("The proposal changes nothing: it equals v1.");
  });

  it("refuses a proposal written against a version that is no longer current", async () => {
    const bot = await freshBot();
    const error = await rejection(propose(members.TRADER, bot.id, widerBand, 2));
    expect((error as AppError).appCode).toBe("CONFLICT");
    expect(error.message).toContain("is at v1 now, not v2");
  });

  it("refuses a second pending request on the same bot, naming the first one's proposer", async () => {
    const bot = await freshBot();
    await propose(members.TRADER, bot.id);
    const error = await rejection(propose(members.ADMIN, bot.id, configWith((config) => (config.ordersPerSide = 2))));
    expect((error as AppError).appCode).toBe("CONFLICT");
    expect(error.message).toBe(`${bot.symbol} already has a pending change request by Tara Trader; it must be decided or cancelled first.`);
  });

  it("lets exactly one of two simultaneous proposals on a bot through", async () => {
    const bot = await freshBot();
    const results = await Promise.allSettled([propose(members.TRADER, bot.id), propose(members.ADMIN, bot.id)]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await database.prisma.changeRequest.count({ where: { botId: bot.id, status: "PENDING" } })).toBe(1);
  });

  it("does not find another team's bot", async () => {
    expect(await appCode(propose(members.TRADER, outsider.botId, widerBand, null))).toBe("NOT_FOUND");
  });

  it("is backed by the database: a second pending request written around the app is refused too", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    const second = database.prisma.changeRequest.create({
      data: { teamId: demoTeamId, botId: bot.id, kind: "UPDATE_CONFIG", proposerId: members.ADMIN.id, proposedConfig: {} },
    });
    await expect(second).rejects.toMatchObject({ code: "P2002" });
    await as(members.TRADER).changes.cancel({ id: request.id });
    await expect(
      database.prisma.changeRequest.create({
        data: { teamId: demoTeamId, botId: bot.id, kind: "UPDATE_CONFIG", proposerId: members.ADMIN.id, proposedConfig: {} },
      }),
    ).resolves.toMatchObject({ status: "PENDING" });
  });
});

describe("changes.approve", () => {
  it("makes the proposal the bot's new config version, with the audit entry, in one go", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    const approved = await as(members.ADMIN).changes.approve({ id: request.id, comment: "fine for this week" });
    expect(approved).toMatchObject({
      status: "APPROVED",
      reviewer: { id: members.ADMIN.id, name: "Adam Admin" },
      reviewComment: "fine for this week",
      resultingVersion: { version: 2, appliedAt: null },
    });
    expect(approved.decidedAt).toBeInstanceOf(Date);

    const stored = await database.prisma.bot.findUniqueOrThrow({
      where: { id: bot.id },
      select: { currentConfigVersion: { select: { version: true, config: true, changeRequestId: true, createdById: true } } },
    });
    expect(stored.currentConfigVersion).toMatchObject({ version: 2, changeRequestId: request.id, createdById: members.TRADER.id });
    const parsed = parseBotConfig(stored.currentConfigVersion?.config);
    expect(parsed.ok && parsed.config.band).toEqual({ minSpread: 0.002, maxSpread: 0.005 });
    expect(await auditActions(request.id)).toEqual(["change_request.propose", "change_request.approve"]);
  });

  it("refuses the proposer, even with the role to review", async () => {
    const bot = await freshBot();
    const request = await propose(members.ADMIN, bot.id);
    const error = await rejection(as(members.ADMIN).changes.approve({ id: request.id }));
    expect((error as AppError).appCode).toBe("OWN_REQUEST");
    expect(error.code).toBe("FORBIDDEN");
    expect((await as(members.OWNER).changes.get({ id: request.id })).status).toBe("PENDING");
  });

  it.each(["TRADER", "VIEWER"] as const)("refuses a %s", async (role) => {
    const bot = await freshBot();
    const request = await propose(secondAdmin, bot.id);
    expect(await appCode(as(members[role]).changes.approve({ id: request.id }))).toBe("PERMISSION_DENIED");
  });

  it("lets an OWNER approve an ADMIN's request", async () => {
    const bot = await freshBot();
    const request = await propose(members.ADMIN, bot.id);
    expect((await as(members.OWNER).changes.approve({ id: request.id })).status).toBe("APPROVED");
  });

  it("refuses a request whose base version is no longer current, and leaves it pending", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    // Another writer moved the bot to v2 meanwhile.
    const v2 = await database.prisma.botConfigVersion.create({ data: { botId: bot.id, version: 2, config: {} } });
    await database.prisma.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: v2.id } });

    const error = await rejection(as(members.ADMIN).changes.approve({ id: request.id }));
    expect((error as AppError).appCode).toBe("CONFLICT");
    expect(error.message).toContain("moved to v2 after this request was proposed against v1");
    const after = await as(members.ADMIN).changes.get({ id: request.id });
    expect(after).toMatchObject({ status: "PENDING", baseVersion: 1, currentVersion: 2 });
    expect(await database.prisma.botConfigVersion.count({ where: { botId: bot.id } })).toBe(2);
  });

  it("decides a request once: a second approval or a racing rejection is refused", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    const results = await Promise.allSettled([
      as(members.ADMIN).changes.approve({ id: request.id }),
      as(secondAdmin).changes.reject({ id: request.id, comment: "no" }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((result) => result.status === "rejected");
    expect(((refused as PromiseRejectedResult).reason as AppError).appCode).toBe("CONFLICT");
    expect(await appCode(as(members.OWNER).changes.approve({ id: request.id }))).toBe("CONFLICT");
  });

  it("does not find another team's request", async () => {
    const otherRequest = await as(outsider.owner).changes.proposeConfig({
      botId: outsider.botId,
      baseVersion: null,
      config: widerBand,
      reason: "theirs",
    });
    expect(await appCode(as(members.OWNER).changes.approve({ id: otherRequest.id }))).toBe("NOT_FOUND");
    expect(await appCode(as(members.OWNER).changes.reject({ id: otherRequest.id, comment: "x" }))).toBe("NOT_FOUND");
    expect(await appCode(as(members.OWNER).changes.get({ id: otherRequest.id }))).toBe("NOT_FOUND");
    expect((await as(outsider.owner).changes.get({ id: otherRequest.id })).status).toBe("PENDING");
  });

  it("gives a bot without any config its version 1", async () => {
    const bot = await database.prisma.bot.create({
      data: { teamId: demoTeamId, exchangeAccountId: demoAccountId, symbol: nextSymbol() },
    });
    const request = await propose(members.TRADER, bot.id, widerBand, null);
    expect((await as(members.ADMIN).changes.approve({ id: request.id })).resultingVersion?.version).toBe(1);
  });
});

describe("changes.reject", () => {
  it("rejects with the reviewer's comment, and the bot keeps its version", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    const rejected = await as(members.OWNER).changes.reject({ id: request.id, comment: "too wide for the issuer's contract" });
    expect(rejected).toMatchObject({
      status: "REJECTED",
      reviewer: { id: members.OWNER.id },
      reviewComment: "too wide for the issuer's contract",
      resultingVersion: null,
    });
    const stored = await database.prisma.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { currentConfigVersion: { select: { version: true } } } });
    expect(stored.currentConfigVersion?.version).toBe(1);
    expect(await auditActions(request.id)).toEqual(["change_request.propose", "change_request.reject"]);
  });

  it("needs a comment", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    const error = await rejection(as(members.ADMIN).changes.reject({ id: request.id, comment: "   " }));
    expect((error.cause as ZodError).issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["comment", "say why the request is rejected"],
    ]);
  });

  it("refuses the proposer and the roles without review rights", async () => {
    const bot = await freshBot();
    const request = await propose(members.ADMIN, bot.id);
    expect(await appCode(as(members.ADMIN).changes.reject({ id: request.id, comment: "mine" }))).toBe("OWN_REQUEST");
    expect(await appCode(as(members.TRADER).changes.reject({ id: request.id, comment: "no" }))).toBe("PERMISSION_DENIED");
    expect(await appCode(as(members.VIEWER).changes.reject({ id: request.id, comment: "no" }))).toBe("PERMISSION_DENIED");
  });
});

describe("changes.cancel", () => {
  it("lets the proposer withdraw a pending request, which frees the bot for another", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    expect((await as(members.TRADER).changes.cancel({ id: request.id })).status).toBe("CANCELLED");
    expect(await auditActions(request.id)).toEqual(["change_request.propose", "change_request.cancel"]);
    expect((await propose(members.ADMIN, bot.id)).status).toBe("PENDING");
  });

  it("refuses anyone but the proposer, and a decided request", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    expect(await appCode(as(members.OWNER).changes.cancel({ id: request.id }))).toBe("PERMISSION_DENIED");
    expect(await appCode(as(members.VIEWER).changes.cancel({ id: request.id }))).toBe("PERMISSION_DENIED");
    await as(members.ADMIN).changes.reject({ id: request.id, comment: "no" });
    expect(await appCode(as(members.TRADER).changes.cancel({ id: request.id }))).toBe("CONFLICT");
  });
});

describe("changes.proposeBot", () => {
  const reason = "the issuer listed a new pair";

  it("creates the bot, in the state asked for, with config v1 when approved", async () => {
    const symbol = nextListedSymbol();
    const config = configWith((c) => (c.ordersPerSide = 2));
    const request = await as(members.TRADER).changes.proposeBot({
      exchangeAccountId: demoAccountId,
      symbol: symbol.toLowerCase(),
      initialState: "RUNNING",
      config,
      reason,
    });
    expect(request).toMatchObject({
      kind: "CREATE_BOT",
      status: "PENDING",
      botId: null,
      symbol,
      initialState: "RUNNING",
      account: { id: demoAccountId, name: "Simulator" },
      baseVersion: null,
      changes: [{ path: "ordersPerSide", old: 1, new: 2 }],
    });

    const approved = await as(members.ADMIN).changes.approve({ id: request.id });
    expect(approved.botId).not.toBeNull();
    expect(approved.resultingVersion).toEqual({ version: 1, appliedAt: null });
    const bot = await database.prisma.bot.findUniqueOrThrow({
      where: { id: approved.botId! },
      select: { teamId: true, symbol: true, desiredState: true, currentConfigVersion: { select: { version: true, config: true } } },
    });
    expect(bot).toMatchObject({ teamId: demoTeamId, symbol, desiredState: "RUNNING", currentConfigVersion: { version: 1 } });
    expect((bot.currentConfigVersion?.config as { ordersPerSide: number }).ordersPerSide).toBe(2);
  });

  it("names the field when the symbol is malformed or already has a bot on the account", async () => {
    const malformed = await rejection(
      as(members.TRADER).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol: "BTC/USDT", config: {}, reason }),
    );
    expect((malformed.cause as ZodError).issues.map((issue) => issue.path.join("."))).toEqual(["symbol"]);
    const taken = await rejection(
      as(members.TRADER).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol: "BTCUSDT", config: {}, reason }),
    );
    expect((taken.cause as ZodError).issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["symbol", "Simulator already has a BTCUSDT bot"],
    ]);
  });

  it("refuses a second pending request for the same account and symbol", async () => {
    const symbol = nextListedSymbol();
    await as(members.TRADER).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol, config: {}, reason });
    const error = await rejection(
      as(members.ADMIN).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol, config: {}, reason }),
    );
    expect((error as AppError).appCode).toBe("CONFLICT");
  });

  it("lets exactly one of two simultaneous requests for the same new bot through", async () => {
    const symbol = nextListedSymbol();
    const results = await Promise.allSettled([
      as(members.TRADER).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol, config: {}, reason }),
      as(members.ADMIN).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol, config: {}, reason }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await database.prisma.changeRequest.count({ where: { symbol, status: "PENDING" } })).toBe(1);
  });

  it("refuses approval when the bot was created meanwhile", async () => {
    const symbol = nextListedSymbol();
    const request = await as(members.TRADER).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol, config: {}, reason });
    await database.prisma.bot.create({ data: { teamId: demoTeamId, exchangeAccountId: demoAccountId, symbol } });
    const error = await rejection(as(members.ADMIN).changes.approve({ id: request.id }));
    expect((error as AppError).appCode).toBe("CONFLICT");
    expect(error.message).toBe(`Simulator has a ${symbol} bot already; reject this request.`);
  });

  it("does not find another team's account, and refuses a VIEWER", async () => {
    expect(
      await appCode(as(members.OWNER).changes.proposeBot({ exchangeAccountId: outsider.accountId, symbol: nextSymbol(), config: {}, reason })),
    ).toBe("NOT_FOUND");
    expect(
      await appCode(as(members.VIEWER).changes.proposeBot({ exchangeAccountId: demoAccountId, symbol: nextSymbol(), config: {}, reason })),
    ).toBe("PERMISSION_DENIED");
  });
});

describe("changes.list", () => {
  it("shows the pending queue oldest first and the decided history newest first, one team only", async () => {
    const [a, b] = [await freshBot(), await freshBot()];
    const first = await propose(members.TRADER, a.id);
    const second = await propose(members.TRADER, b.id);
    const pending = await as(members.VIEWER).changes.list({ view: "PENDING", limit: 100 });
    const pendingIds = pending.items.map((item) => item.id);
    expect(pendingIds.indexOf(first.id)).toBeLessThan(pendingIds.indexOf(second.id));
    expect(pending.items.every((item) => item.status === "PENDING")).toBe(true);

    await as(members.ADMIN).changes.reject({ id: first.id, comment: "no" });
    await as(members.ADMIN).changes.approve({ id: second.id });
    const history = await as(members.VIEWER).changes.list({ view: "DECIDED", limit: 2 });
    expect(history.items.map((item) => item.id)).toEqual([second.id, first.id]);
    expect(history.nextCursor).toBe(first.id);
    const older = await as(members.VIEWER).changes.list({ view: "DECIDED", limit: 100, cursor: history.nextCursor });
    expect(older.items.map((item) => item.id)).not.toContain(first.id);

    const forBot = await as(members.VIEWER).changes.list({ view: "DECIDED", botId: a.id });
    expect(forBot.items.map((item) => item.id)).toEqual([first.id]);
    const theirs = await as(outsider.owner).changes.list({ view: "DECIDED" });
    expect(theirs.items.some((item) => item.id === first.id || item.id === second.id)).toBe(false);
  });
});

describe("changes.get", () => {
  it("tells each member what they may do with a request, and why not", async () => {
    const bot = await freshBot();
    const request = await propose(members.ADMIN, bot.id);
    const asProposer = await as(members.ADMIN).changes.get({ id: request.id });
    expect(asProposer.viewer).toEqual({
      canReview: false,
      canCancel: true,
      reviewBlockedBy: "You proposed this request: another member with the OWNER or ADMIN role must review it.",
    });
    expect((await as(members.OWNER).changes.get({ id: request.id })).viewer).toEqual({
      canReview: true,
      canCancel: false,
      reviewBlockedBy: null,
    });
    expect((await as(members.TRADER).changes.get({ id: request.id })).viewer.reviewBlockedBy).toBe(
      "Only an OWNER or ADMIN can approve or reject change requests.",
    );
    expect((asProposer.proposedConfig as BotConfig).band.maxSpread).toBe(0.005);
  });
});

describe("changes.botConfig", () => {
  it("shows the version in force, its history and when each version took effect", async () => {
    const bot = await freshBot();
    const request = await propose(members.TRADER, bot.id);
    const pending = await as(members.VIEWER).changes.botConfig({ botId: bot.id });
    expect(pending).toMatchObject({
      bot: { id: bot.id, symbol: bot.symbol, account: { name: "Simulator" } },
      current: { version: 1, appliedAt: null, changeRequest: null },
      pending: { id: request.id, proposer: { name: "Tara Trader" } },
      canPropose: false,
    });

    await as(members.ADMIN).changes.approve({ id: request.id, comment: "ok" });
    // The engine marks a version applied when it takes effect.
    const appliedAt = new Date("2026-11-27T12:00:00Z");
    await database.prisma.botConfigVersion.updateMany({ where: { botId: bot.id, version: 2 }, data: { appliedAt } });
    const after = await as(members.TRADER).changes.botConfig({ botId: bot.id });
    expect(after.pending).toBeNull();
    expect(after.canPropose).toBe(true);
    expect(after.current).toMatchObject({
      version: 2,
      appliedAt,
      proposer: { name: "Tara Trader" },
      changeRequest: { id: request.id, reason: "wider band for the listing week", reviewer: { name: "Adam Admin" }, reviewComment: "ok" },
    });
    expect((after.current?.config as BotConfig).band.maxSpread).toBe(0.005);
    expect(after.history.map((version) => [version.version, version.appliedAt])).toEqual([
      [2, appliedAt],
      [1, null],
    ]);
  });

  it("does not find another team's bot", async () => {
    expect(await appCode(as(members.VIEWER).changes.botConfig({ botId: outsider.botId }))).toBe("NOT_FOUND");
  });
});

describe("changes.newBotOptions", () => {
  it("lists the team's active accounts with their symbols, to proposers only", async () => {
    const options = await as(members.TRADER).changes.newBotOptions();
    expect(options.accounts.map((account) => account.id)).toEqual([demoAccountId]);
    expect(options.accounts[0]?.symbols).toEqual(expect.arrayContaining(["BNBUSDT", "BTCUSDT", "ETHUSDT"]));
    expect(await appCode(as(members.VIEWER).changes.newBotOptions())).toBe("PERMISSION_DENIED");
  });
});
