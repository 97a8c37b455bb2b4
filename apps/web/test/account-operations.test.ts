// "Pause all" and "Emergency stop all" on one exchange account, through the real router against a real database:
// which bots change, their audit entries and timeline events, the roles allowed, and team scoping.
import { randomBytes } from "node:crypto";
import { DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotDesiredState } from "../src/lib/bot-state";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { type OtherTeam, createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

type Role = "OWNER" | "ADMIN" | "TRADER" | "VIEWER";

let database: TestDatabase;
const members = new Map<Role, SessionUser>();
let teamId: string;
let deskAccountId: string;
// The account under test: one bot in each desired state.
const bots = { running: "", paused: "", stopped: "" };
// A bot of the same team on another account, which neither operation may touch.
let bystanderId: string;
let other: OtherTeam;

function caller(role: Role) {
  const user = members.get(role);
  if (!user) throw new Error(`no ${role}`);
  return createCaller({ db: database.prisma, user });
}

async function desiredStates(): Promise<Record<keyof typeof bots, BotDesiredState>> {
  const rows = await database.prisma.bot.findMany({ where: { id: { in: Object.values(bots) } }, select: { id: true, desiredState: true } });
  const of = (id: string) => rows.find((row) => row.id === id)?.desiredState ?? "missing";
  return { running: of(bots.running), paused: of(bots.paused), stopped: of(bots.stopped) } as Record<keyof typeof bots, BotDesiredState>;
}

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_account_ops");
  const prisma = database.prisma;
  teamId = (await seedDemo(prisma, { encryptionKey: randomBytes(32) })).teamId;
  for (const login of DEMO_LOGINS) {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
    members.set(login.role, { id: user.id, email: user.email, name: user.name, teamId });
  }
  const account = await prisma.exchangeAccount.create({
    data: {
      teamId,
      name: "Desk two",
      venue: "SIMULATOR",
      environment: "SIMULATOR",
      apiKeyCiphertext: "unused",
      apiSecretCiphertext: "unused",
      keyFingerprint: "unused",
    },
  });
  deskAccountId = account.id;
  for (const [name, symbol] of [["running", "BTCUSDT"], ["paused", "ETHUSDT"], ["stopped", "BNBUSDT"]] as const) {
    bots[name] = (await prisma.bot.create({ data: { teamId, exchangeAccountId: account.id, symbol } })).id;
  }
  bystanderId = (await prisma.bot.findFirstOrThrow({ where: { teamId, exchangeAccountId: { not: account.id } } })).id;
  other = await createOtherTeam(prisma, { desiredState: "RUNNING" });
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(async () => {
  const set = (id: string, desiredState: BotDesiredState) => database.prisma.bot.update({ where: { id }, data: { desiredState } });
  await Promise.all([set(bots.running, "RUNNING"), set(bots.paused, "PAUSED"), set(bots.stopped, "STOPPED"), set(bystanderId, "RUNNING")]);
});

describe("bots.pauseAccount", () => {
  it.each(["OWNER", "ADMIN", "TRADER"] as const)("a %s pauses the account's running bots, each with its audit entry", async (role) => {
    const since = new Date();
    const result = await caller(role).bots.pauseAccount({ exchangeAccountId: deskAccountId, reason: "venue maintenance" });
    expect(result).toEqual({
      account: { id: deskAccountId, name: "Desk two" },
      desiredState: "PAUSED",
      changed: [{ id: bots.running, symbol: "BTCUSDT", from: "RUNNING" }],
    });
    // The paused bot stays paused and the stopped one stopped (pausing it would hand it to an engine).
    expect(await desiredStates()).toEqual({ running: "PAUSED", paused: "PAUSED", stopped: "STOPPED" });
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: bystanderId } })).desiredState).toBe("RUNNING");
    const audit = await database.prisma.auditLog.findMany({ where: { actorId: members.get(role)!.id, createdAt: { gte: since } } });
    expect(audit.map((entry) => [entry.action, entry.entityId, entry.payload])).toEqual([
      ["bot.pause", bots.running, { from: "RUNNING", to: "PAUSED", reason: "venue maintenance", account: "Desk two" }],
    ]);
  });

  it("changes nothing and writes no audit entry when no bot of the account is running", async () => {
    await database.prisma.bot.update({ where: { id: bots.running }, data: { desiredState: "STOPPED" } });
    const before = await database.prisma.auditLog.count();
    await expect(caller("TRADER").bots.pauseAccount({ exchangeAccountId: deskAccountId })).resolves.toMatchObject({ changed: [] });
    expect(await database.prisma.auditLog.count()).toBe(before);
  });
});

describe("bots.emergencyStopAccount", () => {
  it.each(["OWNER", "ADMIN", "TRADER"] as const)("a %s stops every running or paused bot of the account at once", async (role) => {
    const user = members.get(role)!;
    const since = new Date();
    const result = await caller(role).bots.emergencyStopAccount({ exchangeAccountId: deskAccountId, reason: "runaway quotes" });
    expect(result.desiredState).toBe("STOPPED");
    expect(result.changed).toEqual([
      { id: bots.running, symbol: "BTCUSDT", from: "RUNNING" },
      { id: bots.paused, symbol: "ETHUSDT", from: "PAUSED" },
    ]);
    expect(await desiredStates()).toEqual({ running: "STOPPED", paused: "STOPPED", stopped: "STOPPED" });
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: bystanderId } })).desiredState).toBe("RUNNING");

    const audit = await database.prisma.auditLog.findMany({ where: { actorId: user.id, createdAt: { gte: since } }, orderBy: { entityId: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["bot.emergency_stop", "bot.emergency_stop"]);
    expect(audit.map((entry) => entry.entityId).sort()).toEqual([bots.running, bots.paused].sort());
    expect(audit.find((entry) => entry.entityId === bots.paused)?.payload).toEqual({
      from: "PAUSED",
      to: "STOPPED",
      reason: "runaway quotes",
      account: "Desk two",
    });
    // Each stopped bot's timeline says who stopped it and why; the bot that was already stopped gets nothing.
    for (const id of [bots.running, bots.paused]) {
      const event = await database.prisma.botEvent.findFirst({ where: { botId: id, type: "operator_emergency_stop", time: { gte: since } } });
      expect(event?.reason).toBe(`Emergency stop by ${user.name}: runaway quotes`);
    }
    expect(await database.prisma.botEvent.count({ where: { botId: bots.stopped, time: { gte: since } } })).toBe(0);
  });

  it("needs no second person: a TRADER's stop applies at once, and starting a bot again is the per-bot action", async () => {
    const requestsBefore = await database.prisma.changeRequest.count();
    await caller("TRADER").bots.emergencyStopAccount({ exchangeAccountId: deskAccountId });
    expect(await desiredStates()).toEqual({ running: "STOPPED", paused: "STOPPED", stopped: "STOPPED" });
    expect(await database.prisma.changeRequest.count()).toBe(requestsBefore);
    await expect(caller("TRADER").bots.start({ botId: bots.running })).resolves.toMatchObject({ desiredState: "RUNNING", changed: true });
  });
});

describe.each(["pauseAccount", "emergencyStopAccount"] as const)("bots.%s refuses", (procedure) => {
  it("a VIEWER: forbidden, nothing changes, no audit entry", async () => {
    const before = await database.prisma.auditLog.count();
    const error = await rejection(caller("VIEWER").bots[procedure]({ exchangeAccountId: deskAccountId }));
    expect(error.code).toBe("FORBIDDEN");
    expect(await desiredStates()).toEqual({ running: "RUNNING", paused: "PAUSED", stopped: "STOPPED" });
    expect(await database.prisma.auditLog.count()).toBe(before);
  });

  it("another team's account: not found, and its bot keeps running", async () => {
    const error = await rejection(caller("OWNER").bots[procedure]({ exchangeAccountId: other.accountId }));
    expect(error.code).toBe("NOT_FOUND");
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: other.botId } })).desiredState).toBe("RUNNING");
  });

  it("an over-long reason or a missing account, naming the field", async () => {
    const long = await rejection(caller("OWNER").bots[procedure]({ exchangeAccountId: deskAccountId, reason: "x".repeat(501) }));
    expect(long.code).toBe("BAD_REQUEST");
    expect(long.message).toContain("reason");
    const missing = await rejection(caller("OWNER").bots[procedure]({ exchangeAccountId: "" }));
    expect(missing.message).toContain("exchangeAccountId");
  });
});
