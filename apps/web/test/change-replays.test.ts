// A config change request's replay through the tRPC procedures against a real database: the proposal writes its
// PENDING replay with the config it was written against, changes.get shows what the engine wrote (progress, the two
// reports, why there are none), changes.replayReport serves the HTML report to whoever may read the request.
import { randomBytes } from "node:crypto";
import { type BotConfig, defaultBotConfig, parseBotConfig } from "@bandkeeper/core/config";
import { DEFAULT_BOT_CONFIG, DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ordersPerHour, replayKpiRows } from "../src/app/(dashboard)/changes/_lib/replay-kpis";
import { AppError } from "../src/server/errors";
import type { TeamRole } from "../src/server/permissions";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { type OtherTeam, createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";

const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let database: TestDatabase;
let demoTeamId: string;
let demoAccountId: string;
const members = {} as Record<TeamRole, SessionUser>;
let outsider: OtherTeam;
let symbolCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase(serverUrl, "bk_web_change_replays");
  // No venue answers here (a closed port): proposals are checked against core's bounds only.
  Object.assign(process.env, { DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString("hex"), SIMULATOR_URL: "http://127.0.0.1:9" });
  demoTeamId = (await seedDemo(database.prisma, { encryptionKey: randomBytes(32) })).teamId;
  demoAccountId = (await database.prisma.exchangeAccount.findFirstOrThrow({ where: { teamId: demoTeamId } })).id;
  for (const login of DEMO_LOGINS) {
    const user = await database.prisma.user.findUniqueOrThrow({ where: { email: login.email } });
    members[login.role] = { id: user.id, email: user.email, name: user.name, teamId: demoTeamId };
  }
  outsider = await createOtherTeam(database.prisma);
});

afterAll(async () => database?.drop());

const as = (user: SessionUser) => createCaller({ db: database.prisma, user });

async function freshBot(): Promise<{ id: string }> {
  const prisma = database.prisma;
  const bot = await prisma.bot.create({ data: { teamId: demoTeamId, exchangeAccountId: demoAccountId, symbol: `R${++symbolCounter}USDT` } });
  const version = await prisma.botConfigVersion.create({ data: { botId: bot.id, version: 1, config: DEFAULT_BOT_CONFIG } });
  await prisma.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });
  return bot;
}

const widerBand: BotConfig = { ...defaultBotConfig, band: { ...defaultBotConfig.band, maxSpread: 0.006 } };

const report = (overrides: Record<string, unknown> = {}) => ({
  spreadCompliance: 0.9991,
  twoSided: 0.9995,
  depthCompliance: 0.98,
  depthOrderShare: 1,
  passiveFillRate: 0.01,
  fillsPerHour: 2,
  filledNotionalRate: 0.01,
  responseLatencyMs: { count: 12, p50: 25, p99: 250, max: 400, totalMs: 900 },
  ordersPlaced: 60,
  ordersFilled: 1,
  runningMs: 1_800_000,
  ...overrides,
});

async function proposal(): Promise<string> {
  const bot = await freshBot();
  const request = await as(members.TRADER).changes.proposeConfig({ botId: bot.id, baseVersion: 1, config: widerBand, reason: "a wider band" });
  return request.id;
}

describe("a config change request's replay", () => {
  it("is written PENDING with the proposal, against the config the proposal was written against", async () => {
    const id = await proposal();
    const row = await database.prisma.changeRequestReplay.findUniqueOrThrow({ where: { changeRequestId: id } });
    expect(row.status).toBe("PENDING");
    const seeded = parseBotConfig(DEFAULT_BOT_CONFIG);
    if (!seeded.ok) throw new Error("the seed's config does not parse");
    expect(row.baseConfig).toEqual(JSON.parse(JSON.stringify(seeded.config)));
    const view = await as(members.VIEWER).changes.get({ id });
    expect(view.replay).toMatchObject({ status: "PENDING", progress: 0, base: null, proposed: null, hasHtmlReport: false });
  });

  it("shows the engine's progress, then both reports, and serves the HTML report to every member", async () => {
    const id = await proposal();
    await database.prisma.changeRequestReplay.update({ where: { changeRequestId: id }, data: { status: "RUNNING", progress: 0.4 } });
    expect((await as(members.ADMIN).changes.get({ id })).replay).toMatchObject({ status: "RUNNING", progress: 0.4 });

    const dataFrom = new Date("2026-12-03T10:00:00Z");
    const dataTo = new Date("2026-12-03T12:00:00Z");
    await database.prisma.changeRequestReplay.update({
      where: { changeRequestId: id },
      data: { status: "DONE", progress: 1, dataFrom, dataTo, wallMs: 41_000, baseReport: report(), proposedReport: report({ spreadCompliance: 1, fillsPerHour: 0.5 }), proposedHtml: "<!doctype html><p>report</p>" },
    });
    const { replay } = await as(members.VIEWER).changes.get({ id });
    expect(replay).toMatchObject({ status: "DONE", dataFrom, dataTo, wallMs: 41_000, hasHtmlReport: true, message: null });
    expect(replay?.base).toMatchObject({ spreadCompliance: 0.9991, fillsPerHour: 2, responseLatencyMs: { p50: 25, p99: 250 } });
    expect(replay?.proposed).toMatchObject({ spreadCompliance: 1, fillsPerHour: 0.5 });
    for (const role of ["OWNER", "ADMIN", "TRADER", "VIEWER"] as const) {
      expect(await as(members[role]).changes.replayReport({ id })).toEqual({ html: "<!doctype html><p>report</p>" });
    }
    const refused = await rejection(as(outsider.owner).changes.replayReport({ id }));
    expect(refused instanceof AppError ? refused.appCode : refused.code).toBe("NOT_FOUND");
  });

  it("says why there is no result", async () => {
    const id = await proposal();
    const message = "No market data is recorded for R3USDT yet: the engine records it while a bot quotes the pair.";
    await database.prisma.changeRequestReplay.update({ where: { changeRequestId: id }, data: { status: "NO_DATA", message } });
    expect((await as(members.TRADER).changes.get({ id })).replay).toMatchObject({ status: "NO_DATA", message, base: null });
    const missing = await rejection(as(members.TRADER).changes.replayReport({ id }));
    expect(missing.message).toBe("This change request has no replay report.");
  });
});

describe("the replay's KPI rows", () => {
  it("put the base and the proposal side by side, orders per running hour worked out", () => {
    const base = report();
    expect(ordersPerHour(base)).toBe(120);
    expect(ordersPerHour({ ...base, runningMs: 0 })).toBeNull();
    expect(replayKpiRows(base, { ...base, spreadCompliance: 1, fillsPerHour: null, responseLatencyMs: { p50: null, p99: 500, count: 1 } })).toEqual([
      { label: "Spread compliance", base: "99.91%", proposed: "100.00%" },
      { label: "Two-sided", base: "99.95%", proposed: "99.95%" },
      { label: "Depth compliance", base: "98.00%", proposed: "98.00%" },
      { label: "Episode latency p50", base: "25 ms", proposed: "—" },
      { label: "Episode latency p99", base: "250 ms", proposed: "500 ms" },
      { label: "Fills per hour", base: "2.0", proposed: "—" },
      { label: "Orders per hour", base: "120.0", proposed: "120.0" },
    ]);
  });
});
