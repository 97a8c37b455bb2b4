// BOT_NEEDS_ATTENTION against a real database: BotEvent rows that need a human (order_reopened,
// journal_record_failed, account_auth_failed) raise one alert with one notice per channel, whatever else the bot
// does; other events do not; the alert resolves once the events are older than the rule's window. New teams get
// the rule by default, and a team made before the rule existed gets it from the migration.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ALERT_RULES } from "@bandkeeper/core/alerts";
import { createDefaultAlertRules } from "@bandkeeper/db/alert-rules";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { AlertEvaluator } from "../src";
import { createTeamWithBot, webhookChannel } from "./fixtures";
import { testServerUrl } from "@bandkeeper/testkit";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let db: TestDatabase;
let evaluator: AlertEvaluator;

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_alerts_attention");
  evaluator = new AlertEvaluator({ prisma: db.prisma, logger: quiet });
});
afterAll(async () => db?.drop());

async function dbNow(): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now.getTime();
}

describe("BOT_NEEDS_ATTENTION", () => {
  let setup: Awaited<ReturnType<typeof createTeamWithBot>>;
  beforeEach(async () => {
    await db.prisma.alertRule.deleteMany();
    setup = await createTeamWithBot(db.prisma);
  });

  it("opens one alert, with one notice per channel, for a reopened order, and resolves once the event is past the window", async () => {
    const { team, bot } = setup;
    const hook = await webhookChannel(db.prisma, team.id, "http://127.0.0.1:9/hook");
    const rule = await db.prisma.alertRule.create({
      data: { teamId: team.id, name: "needs a human", kind: "BOT_NEEDS_ATTENTION", windowSeconds: 600, channels: { create: [{ channelId: hook.id }] } },
    });
    const now = await dbNow();
    // Noise that is not for a human: nothing opens.
    await db.prisma.botEvent.createMany({
      data: [
        { botId: bot.id, time: new Date(now - 5_000), type: "state", fromState: "QUOTING", toState: "DEGRADED", reason: "risk widened the quotes" },
        { botId: bot.id, time: new Date(now - 4_000), type: "rate_limited", reason: "order budget exhausted" },
        { botId: bot.id, time: new Date(now - 3_000), type: "order_inconsistent", reason: "OVERFILL on t-1" },
      ],
    });
    expect(await evaluator.evaluate()).toMatchObject({ opened: 0 });

    const reason = "order t-7 was closed as REJECTED (not on the exchange ...), but the exchange reported a fill of 0.1 at 60000: reopened and accounted, now PARTIALLY_FILLED, cancelling it";
    const reopened = await db.prisma.botEvent.create({ data: { botId: bot.id, time: new Date(now - 2_000), type: "order_reopened", reason } });
    for (let pass = 0; pass < 3; pass += 1) await evaluator.evaluate();
    const events = await db.prisma.alertEvent.findMany({ where: { ruleId: rule.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ state: "OPEN", botId: bot.id, message: `BTCUSDT: bot reported something a human must look at: an order written off was live on the exchange: ${reason}` });
    expect((await db.prisma.alertDelivery.findMany({ where: { eventId: events[0]!.id } })).map((d) => d.notice)).toEqual(["BREACH"]);

    // The event ages past the rule's window: three quiet passes resolve it, with one RECOVERY notice.
    await db.prisma.botEvent.update({ where: { id: reopened.id }, data: { time: new Date(now - 601_000) } });
    for (let pass = 0; pass < 3; pass += 1) await evaluator.evaluate();
    expect(await db.prisma.alertEvent.findUniqueOrThrow({ where: { id: events[0]!.id } })).toMatchObject({ state: "RESOLVED" });
    expect((await db.prisma.alertDelivery.findMany({ where: { eventId: events[0]!.id } })).map((d) => d.notice).sort()).toEqual(["BREACH", "RECOVERY"]);
  });

  it("covers journal failures and refused keys, even while the bot is stopped", async () => {
    const { team, bot } = setup;
    await db.prisma.bot.update({ where: { id: bot.id }, data: { desiredState: "STOPPED", actualState: "STOPPED" } });
    await db.prisma.alertRule.create({ data: { teamId: team.id, name: "needs a human", kind: "BOT_NEEDS_ATTENTION" } });
    const now = await dbNow();
    await db.prisma.botEvent.create({ data: { botId: bot.id, time: new Date(now - 60_000), type: "journal_record_failed", reason: "order t-3: unique violation, set aside" } });
    await db.prisma.botEvent.create({ data: { botId: bot.id, time: new Date(now - 1_000), type: "account_auth_failed", reason: "-2015 Invalid API-key, IP, or permissions for action." } });
    await evaluator.evaluate();
    const [event] = await db.prisma.alertEvent.findMany({ where: { botId: bot.id } });
    expect(event?.message).toBe("BTCUSDT: bot reported something a human must look at: the exchange refused the account's keys: -2015 Invalid API-key, IP, or permissions for action. (and 1 more)");
  });

  it("is one of a new team's default rules, and the migration gave it to teams made before it existed", async () => {
    expect(DEFAULT_ALERT_RULES.map((r) => r.kind)).toContain("BOT_NEEDS_ATTENTION");
    const team = await db.prisma.team.create({ data: { name: "Fresh", slug: `fresh-${Date.now()}` } });
    await createDefaultAlertRules(db.prisma, team.id);
    expect(await db.prisma.alertRule.findFirst({ where: { teamId: team.id, kind: "BOT_NEEDS_ATTENTION" } })).toMatchObject({ windowSeconds: 900, enabled: true });

    // A team from before: no such rule; the migration's statement, run again, adds it once.
    const old = await db.prisma.team.create({ data: { name: "Old", slug: `old-${Date.now()}` } });
    const migration = await import("node:fs/promises").then((fs) =>
      fs.readFile(new URL("../../db/prisma/migrations/20261202071001_default_rule_bot_needs_attention/migration.sql", import.meta.url), "utf8"),
    );
    await db.prisma.$executeRawUnsafe(migration);
    await db.prisma.$executeRawUnsafe(migration);
    expect(await db.prisma.alertRule.count({ where: { teamId: old.id, kind: "BOT_NEEDS_ATTENTION" } })).toBe(1);
    expect(await db.prisma.alertRule.count({ where: { teamId: team.id, kind: "BOT_NEEDS_ATTENTION" } })).toBe(1);
  });
});
