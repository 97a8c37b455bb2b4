// Start-up grace against a real database (issue 14: every start opened ~6 false alerts): a bot an engine has just
// taken, waiting for its first market data and then warming up, opens no alert from the team's default rules;
// after the grace its start-up minutes stay out of the windows, a real breach still alerts, and a bot that never
// gets market data is judged once the longest wait has passed.
import { createDefaultAlertRules } from "@bandkeeper/db/alert-rules";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AlertEvaluator } from "../src";
import { createTeamWithBot, kpiMinute } from "./fixtures";
import { testServerUrl } from "@bandkeeper/testkit";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const SECOND = 1_000;
const MINUTE = 60_000;
let db: TestDatabase;
let evaluator: AlertEvaluator;

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_alerts_startup_grace");
  evaluator = new AlertEvaluator({ prisma: db.prisma, logger: quiet });
});
afterAll(async () => db?.drop());

/** The database clock, which the evaluator measures on. */
async function dbNow(): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now.getTime();
}

const floorMinute = (time: number) => Math.floor(time / MINUTE) * MINUTE;

/** What an engine writes when it takes a bot: its lease, and the start's state reports (STARTING, the wait). */
async function startRun(botId: string, startedAt: number): Promise<void> {
  const engine = await db.prisma.engineInstance.create({ data: { host: "test", pid: 1, heartbeatAt: new Date() } });
  await db.prisma.botLease.create({
    data: { botId, engineInstanceId: engine.id, acquiredAt: new Date(startedAt), heartbeatAt: new Date(), expiresAt: new Date(Date.now() + MINUTE) },
  });
  await db.prisma.botEvent.createMany({
    data: [
      { botId, type: "state", time: new Date(startedAt), fromState: "STOPPED", toState: "STARTING", reason: "reconciling with the exchange" },
      { botId, type: "state", time: new Date(startedAt), fromState: "STARTING", toState: "HALTED", reason: "waiting for market data" },
    ],
  });
}

/** The bot's first report it can only make with market data. */
async function quoting(botId: string, at: number): Promise<void> {
  await db.prisma.botEvent.create({ data: { botId, type: "state", time: new Date(at), fromState: "HALTED", toState: "QUOTING" } });
}

describe("start-up grace", () => {
  let setup: Awaited<ReturnType<typeof createTeamWithBot>>;
  beforeEach(async () => {
    await db.prisma.alertRule.deleteMany();
    setup = await createTeamWithBot(db.prisma);
    await createDefaultAlertRules(db.prisma, setup.team.id);
  });

  it("a normal start opens no alert: the wait for market data and the warm-up are not judged", async () => {
    const { bot } = setup;
    const now = await dbNow();
    const startedAt = now - 40 * SECOND;
    await startRun(bot.id, startedAt);
    await db.prisma.bot.update({ where: { id: bot.id }, data: { actualState: "HALTED", stateReason: "waiting for market data" } });
    // 7 s without quotes, then two-sided: judged as it stands, 82.5% two-sided and a breach of two default rules.
    const minute = floorMinute(now);
    if (floorMinute(startedAt) < minute) {
      await kpiMinute(db.prisma, bot.id, floorMinute(startedAt), (minute - startedAt - 7 * SECOND) / (minute - startedAt), minute - startedAt);
      await kpiMinute(db.prisma, bot.id, minute, 1, now - minute);
    } else {
      await kpiMinute(db.prisma, bot.id, minute, 33 / 40, 40 * SECOND);
    }
    for (let pass = 0; pass < 3; pass += 1) await evaluator.evaluate();
    expect(await db.prisma.alertEvent.count({ where: { botId: bot.id } })).toBe(0);

    // Market data came 7 s in; still inside the minute of warm-up.
    await quoting(bot.id, startedAt + 7 * SECOND);
    await db.prisma.bot.update({ where: { id: bot.id }, data: { actualState: "QUOTING", stateReason: null } });
    for (let pass = 0; pass < 3; pass += 1) await evaluator.evaluate();
    expect(await db.prisma.alertEvent.count({ where: { botId: bot.id } })).toBe(0);
  });

  it("the same minutes without a run to grace (no engine took the bot) do open alerts", async () => {
    const { bot } = setup;
    const minute = floorMinute(await dbNow());
    await kpiMinute(db.prisma, bot.id, minute, 33 / 40, 40 * SECOND);
    await evaluator.evaluate();
    const opened = await db.prisma.alertEvent.findMany({ where: { botId: bot.id }, include: { rule: true } });
    expect(opened.map((event) => event.rule.kind)).toEqual(["TWO_SIDED_BELOW"]);
  });

  it("after the grace the start-up minute stays out of the window, and a real breach alerts", async () => {
    const { team, bot } = setup;
    const rule = await db.prisma.alertRule.create({ data: { teamId: team.id, name: "two-sided, 15 min", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 900 } });
    const now = await dbNow();
    const startedAt = now - 10 * MINUTE;
    await startRun(bot.id, startedAt);
    await quoting(bot.id, startedAt + 8 * SECOND);
    // The start-up minute: 8 s without quotes. Every minute since: perfect.
    await kpiMinute(db.prisma, bot.id, floorMinute(startedAt), 0.85);
    for (let minute = floorMinute(startedAt) + MINUTE; minute <= floorMinute(now); minute += MINUTE) await kpiMinute(db.prisma, bot.id, minute, 1);
    await evaluator.evaluate();
    expect(await db.prisma.alertEvent.count({ where: { ruleId: rule.id } })).toBe(0);

    // Two minutes ago the bot lost a side for 12 s: that is a breach, grace or not.
    await kpiMinute(db.prisma, bot.id, floorMinute(now) - 2 * MINUTE, 0.8);
    await evaluator.evaluate();
    const events = await db.prisma.alertEvent.findMany({ where: { botId: bot.id, state: "OPEN" }, include: { rule: true } });
    expect(events.map((event) => event.rule.name).sort()).toEqual(["Two-sided presence under 99.9%", "two-sided, 15 min"]);
  });

  it("a bot that never gets market data is judged once the longest wait has passed", async () => {
    const { bot } = setup;
    const now = await dbNow();
    const short = new AlertEvaluator({ prisma: db.prisma, logger: quiet, startupGrace: { warmupSeconds: 30, maxWaitSeconds: 120 } });
    await startRun(bot.id, now - 3 * MINUTE);
    for (let minute = floorMinute(now) - 3 * MINUTE; minute <= floorMinute(now); minute += MINUTE) await kpiMinute(db.prisma, bot.id, minute, 0);
    // Three minutes in, the default five minutes' wait still holds...
    await evaluator.evaluate();
    expect(await db.prisma.alertEvent.count({ where: { botId: bot.id } })).toBe(0);
    // ...a two minutes' wait has passed: a dead feed alerts.
    await short.evaluate();
    const opened = await db.prisma.alertEvent.findMany({ where: { botId: bot.id }, include: { rule: true } });
    expect(opened.map((event) => event.rule.kind)).toEqual(["TWO_SIDED_BELOW"]);
  });
});
