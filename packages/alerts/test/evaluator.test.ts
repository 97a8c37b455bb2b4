// The evaluator against a real database: one event and one notice per channel per breach, however many passes
// it lasts; a recovery notice once the KPI is clearly good again; conditions; escalation; one evaluator at a time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { AlertEvaluator } from "../src";
import { createTeamWithBot, emailChannel, kpiMinute, webhookChannel } from "./fixtures";
import { testServerUrl } from "@bandkeeper/testkit";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let db: TestDatabase;
let evaluator: AlertEvaluator;

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_alerts_eval");
  evaluator = new AlertEvaluator({ prisma: db.prisma, logger: quiet });
});
afterAll(async () => db?.drop());

/** The database's current minute start: the evaluator measures windows on the database clock. */
async function dbMinute(): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return Math.floor(row!.now.getTime() / 60_000) * 60_000;
}

describe("AlertEvaluator", () => {
  let setup: Awaited<ReturnType<typeof createTeamWithBot>>;
  beforeEach(async () => {
    await db.prisma.alertRule.deleteMany();
    setup = await createTeamWithBot(db.prisma);
  });

  it("opens one event with one BREACH delivery per channel while the breach lasts, then one RECOVERY", async () => {
    const { team, bot } = setup;
    const hook = await webhookChannel(db.prisma, team.id, "http://127.0.0.1:9/hook");
    const mail = await emailChannel(db.prisma, team.id, ["ops@example.com"]);
    const rule = await db.prisma.alertRule.create({
      data: { teamId: team.id, name: "two-sided", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 120, channels: { create: [{ channelId: hook.id }, { channelId: mail.id }] } },
    });
    const minute = await dbMinute();
    await kpiMinute(db.prisma, bot.id, minute - 60_000, 1);
    await kpiMinute(db.prisma, bot.id, minute, 0.9, 30_000);

    for (let pass = 0; pass < 4; pass += 1) await evaluator.evaluate();
    const events = await db.prisma.alertEvent.findMany({ where: { ruleId: rule.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ state: "OPEN", botId: bot.id, message: "BTCUSDT: two-sided presence 96.667% over 2 min, below the 99.9% threshold" });
    const breach = await db.prisma.alertDelivery.findMany({ where: { eventId: events[0]!.id } });
    expect(breach.map((d) => [d.channelId, d.notice]).sort()).toEqual([[hook.id, "BREACH"], [mail.id, "BREACH"]].sort());

    // Clearly good again (the bad minute leaves the window): three good passes resolve it, with one notice a channel.
    await db.prisma.kpiBucket.deleteMany({ where: { botId: bot.id } });
    await kpiMinute(db.prisma, bot.id, minute, 1, 60_000);
    expect((await evaluator.evaluate()).resolved).toBe(0);
    expect((await evaluator.evaluate()).resolved).toBe(0);
    expect((await evaluator.evaluate()).resolved).toBe(1);
    await evaluator.evaluate();
    const resolved = await db.prisma.alertEvent.findUniqueOrThrow({ where: { id: events[0]!.id } });
    expect(resolved).toMatchObject({ state: "RESOLVED", openDedupeKey: null });
    expect(resolved.data).toMatchObject({ recovery: "BTCUSDT: recovered: two-sided presence 100% over 2 min" });
    const all = await db.prisma.alertDelivery.findMany({ where: { eventId: events[0]!.id } });
    expect(all.filter((d) => d.notice === "RECOVERY")).toHaveLength(2);
    expect(new Set(all.map((d) => d.idempotencyKey)).size).toBe(4);
  });

  it("does not flap on a KPI that hovers between the threshold and the recovery level", async () => {
    const { team, bot } = setup;
    await db.prisma.alertRule.create({ data: { teamId: team.id, name: "two-sided", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 60 } });
    const minute = await dbMinute();
    for (const value of [0.998, 0.99905, 0.9989, 0.99905, 0.9992, 0.99905, 0.9989]) {
      await kpiMinute(db.prisma, bot.id, minute, value);
      await evaluator.evaluate();
    }
    expect(await db.prisma.alertEvent.count({ where: { botId: bot.id } })).toBe(1);
    expect(await db.prisma.alertEvent.count({ where: { botId: bot.id, state: "OPEN" } })).toBe(1);
  });

  it("raises condition rules from the bot's state and escalates unacknowledged ones once", async () => {
    const { team, bot } = setup;
    const hook = await webhookChannel(db.prisma, team.id, "http://127.0.0.1:9/hook");
    await db.prisma.alertRule.create({
      data: { teamId: team.id, name: "faulted", kind: "BOT_FAULTED", escalateAfterMinutes: 1, channels: { create: [{ channelId: hook.id }] } },
    });
    await evaluator.evaluate();
    expect(await db.prisma.alertEvent.count({ where: { botId: bot.id } })).toBe(0);
    await db.prisma.bot.update({ where: { id: bot.id }, data: { actualState: "FAULTED", stateReason: "invariant broken", stateChangedAt: new Date(Date.now() - 5_000) } });
    await evaluator.evaluate();
    const event = await db.prisma.alertEvent.findFirstOrThrow({ where: { botId: bot.id } });
    expect(event.message).toBe("BTCUSDT: bot faulted: faulted (invariant broken)");
    // Opened two minutes ago and nobody acknowledged it: one ESCALATION, however many passes follow.
    await db.prisma.alertEvent.update({ where: { id: event.id }, data: { openedAt: new Date(Date.now() - 120_000) } });
    await evaluator.evaluate();
    await evaluator.evaluate();
    const notices = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id }, orderBy: { createdAt: "asc" } });
    expect(notices.map((d) => d.notice)).toEqual(["BREACH", "ESCALATION"]);
  });

  it("does not escalate an alert in the pass that resolves it", async () => {
    const { team, bot } = setup;
    const hook = await webhookChannel(db.prisma, team.id, "http://127.0.0.1:9/hook");
    await db.prisma.alertRule.create({ data: { teamId: team.id, name: "faulted", kind: "BOT_FAULTED", escalateAfterMinutes: 1, channels: { create: [{ channelId: hook.id }] } } });
    await db.prisma.bot.update({ where: { id: bot.id }, data: { actualState: "FAULTED" } });
    await evaluator.evaluate();
    const event = await db.prisma.alertEvent.findFirstOrThrow({ where: { botId: bot.id } });
    await db.prisma.bot.update({ where: { id: bot.id }, data: { actualState: "QUOTING" } });
    await evaluator.evaluate();
    await evaluator.evaluate();
    // Overdue for escalation as the third good pass resolves it.
    await db.prisma.alertEvent.update({ where: { id: event.id }, data: { openedAt: new Date(Date.now() - 120_000) } });
    expect(await evaluator.evaluate()).toMatchObject({ resolved: 1, escalated: 0 });
    const notices = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id }, orderBy: { createdAt: "asc" } });
    expect(notices.map((d) => d.notice)).toEqual(["BREACH", "RECOVERY"]);
  });

  it("resolves an alert nobody watches any more (rule disabled)", async () => {
    const { team } = setup;
    await db.prisma.bot.update({ where: { id: setup.bot.id }, data: { actualState: "FAULTED" } });
    const rule = await db.prisma.alertRule.create({ data: { teamId: team.id, name: "faulted", kind: "BOT_FAULTED" } });
    await evaluator.evaluate();
    await db.prisma.alertRule.update({ where: { id: rule.id }, data: { enabled: false } });
    await evaluator.evaluate();
    expect(await db.prisma.alertEvent.findFirstOrThrow({ where: { ruleId: rule.id } })).toMatchObject({ state: "RESOLVED" });
  });

  it("lets one evaluator run at a time: a pass while another holds the lock does nothing", async () => {
    await db.prisma.bot.update({ where: { id: setup.bot.id }, data: { actualState: "FAULTED" } });
    await db.prisma.alertRule.create({ data: { teamId: setup.team.id, name: "faulted", kind: "BOT_FAULTED" } });
    const whileHeld = await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${0x626b616c})::text`;
      return evaluator.evaluate();
    });
    expect(whileHeld).toEqual({ ran: false, opened: 0, resolved: 0, escalated: 0 });
    expect(await evaluator.evaluate()).toMatchObject({ ran: true, opened: 1 });
  });
});
