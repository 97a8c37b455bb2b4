// The bot page's events filtered by kind: the choice is in the URL, survives a reload, and All kinds brings every
// event back.
import { createPrismaClient } from "@bandkeeper/db/client";
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { testWithData as test } from "../support/factories";

test("the bot's events filter by kind, kept in the URL", async ({ page, factories }) => {
  const owner = await factories.user();
  const team = await factories.teamWithBots(owner.id, ["BTCUSDT"]);
  const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
  const bot = await prisma.bot.findFirstOrThrow({ where: { teamId: team.id } });
  const at = (seconds: number) => new Date(Date.now() - 60_000 + seconds * 1_000);
  await prisma.botEvent
    .createMany({
      data: [
        { botId: bot.id, time: at(1), type: "state", fromState: "STARTING", toState: "QUOTING", reason: "two-sided" },
        { botId: bot.id, time: at(2), type: "order_reopened", reason: "a fill arrived for an order written off" },
        { botId: bot.id, time: at(3), type: "state", fromState: "QUOTING", toState: "DEGRADED", reason: "one side only" },
      ],
    })
    .finally(() => prisma.$disconnect());

  await signInViaApi(page, owner);
  await page.goto(`/bots/${bot.id}`);
  const kind = page.getByLabel("Kind");
  const events = page.getByRole("list", { name: /^Bot events/ }).getByRole("listitem");
  await expect(events).toHaveCount(3);
  await expect(kind.getByRole("option")).toHaveText(["All kinds (3)", "state change (2)", "order reopened (1)"]);

  await kind.selectOption("order_reopened");
  await expect(page).toHaveURL(/[?&]events=order_reopened/);
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText("a fill arrived for an order written off");

  await page.reload();
  await expect(page.getByLabel("Kind")).toHaveValue("order_reopened");
  await expect(events).toHaveCount(1);

  await page.getByLabel("Kind").selectOption("state");
  await expect(events).toHaveText([/QUOTING → DEGRADED/, /STARTING → QUOTING/]);

  await page.getByLabel("Kind").selectOption("");
  await expect(page).not.toHaveURL(/events=/);
  await expect(events).toHaveCount(3);
});
