// A normal start opens no alert (issue 14: every start opened ~6): a bot the stack's engine starts on the simulator,
// in a team with the default alert rules, runs well past the half window the KPI rules need, and the engine's
// evaluator (every few seconds) opens nothing for its first market data wait.
import { createPrismaClient } from "@bandkeeper/db/client";
import { createDefaultAlertRules } from "@bandkeeper/db/alert-rules";
import { expect } from "@playwright/test";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { testWithData as test } from "../support/factories";

test("a bot's start, with its wait for market data, opens no alert from the default rules", async ({ factories }) => {
  test.setTimeout(120_000);
  const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
  try {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    await createDefaultAlertRules(prisma, team.id);
    const bot = await factories.quotingBot(team.id, "ETHUSDT");

    await expect.poll(async () => (await prisma.bot.findUniqueOrThrow({ where: { id: bot.id } })).actualState, { timeout: 30_000 }).toBe("QUOTING");
    // Judged as it stands, the seconds before its first quotes would breach the two-sided and spread rules once
    // 30 s of running time are in the window (their half-window minimum): wait well past that, through several of
    // the evaluator's passes.
    await expect
      .poll(async () => (await prisma.kpiBucket.aggregate({ where: { botId: bot.id }, _sum: { runningMs: true } }))._sum.runningMs ?? 0, {
        timeout: 90_000,
        intervals: [2_000],
      })
      .toBeGreaterThan(55_000);
    const opened = await prisma.alertEvent.findMany({ where: { teamId: team.id }, select: { message: true } });
    expect(opened.map((event) => event.message)).toEqual([]);
  } finally {
    await prisma.$disconnect();
  }
});
