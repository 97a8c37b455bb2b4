// What a desk expects (issue 14): a New bot button on the Bots page, the symbol picked from the venue's own list
// with its filters shown, config mistakes said in plain words, a stopped bot that reads "stopped" while the engine
// runs, and the open alerts counted in the navigation.
import { createPrismaClient } from "@bandkeeper/db/client";
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { testWithData as test } from "../support/factories";

test("a trader starts a new bot from the Bots page, picking the symbol from the venue's list", async ({ page, factories }, testInfo) => {
  const owner = await factories.user();
  const team = await factories.teamWithBots(owner.id, []);
  const trader = await factories.member(team.id, "TRADER");
  // An account whose keys the simulator knows (BTCUSDT, ETHUSDT and BNBUSDT trade there).
  const existing = await factories.quotingBot(team.id, "BTCUSDT");
  await signInViaApi(page, trader);

  await page.goto("/bots");
  await page.getByRole("link", { name: "New bot" }).click();
  await expect(page).toHaveURL(/\/changes\/new-bot$/);
  await page.getByLabel("Exchange account").selectOption(existing.exchangeAccountId);
  const filters = page.getByTestId("symbol-filters");
  await expect(filters).toContainText(/\d+ symbols trade on this exchange/);
  // The venue's symbols are offered, less the one the account already quotes.
  const offered = await page.locator("#new-bot-symbols option").evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  expect(offered).toEqual(expect.arrayContaining(["ETHUSDT", "BNBUSDT"]));
  expect(offered).not.toContain("BTCUSDT");

  await page.getByLabel("Symbol").fill("ethusdt");
  await expect(filters).toContainText("ETH/USDT: price step");
  await expect(filters).toContainText("order value at least");
  await page.getByLabel("Symbol").fill("DOGEUSDT");
  await expect(page.getByText("exchange does not list DOGEUSDT for trading")).toBeVisible();
  await page.getByLabel("Symbol").fill("ETHUSDT");

  // A band the wrong way round, in the words a person uses.
  await page.getByLabel("Min spread").fill("0.01");
  await expect(page.getByTestId("issue-band.minSpread")).toHaveText("The closest distance (0.01 = 1%) must be below the farthest (0.004 = 0.4%)");
  await page.screenshot({ path: testInfo.outputPath("new-bot.png"), fullPage: true });
});

test("a stopped bot reads stopped, and the navigation counts the open alerts", async ({ page, factories }, testInfo) => {
  const owner = await factories.user();
  const team = await factories.teamWithBots(owner.id, ["SOLUSDT"]);
  const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
  try {
    const bot = await prisma.bot.findFirstOrThrow({ where: { teamId: team.id } });
    const rule = await prisma.alertRule.create({ data: { teamId: team.id, name: "Faulted bots", kind: "BOT_FAULTED" } });
    for (const n of [1, 2]) {
      const key = `${rule.id}:e2e-${n}`;
      await prisma.alertEvent.create({ data: { teamId: team.id, ruleId: rule.id, botId: bot.id, dedupeKey: key, openDedupeKey: key, message: `SOLUSDT: alert ${n}` } });
    }
    await signInViaApi(page, owner);

    await page.goto(`/bots/${bot.id}`);
    await expect(page.getByText("Engine heartbeat").locator("..")).toContainText("stopped");
    await expect(page.getByText("no engine")).toHaveCount(0);

    const badge = page.getByRole("navigation", { name: "Main" }).getByTestId("open-alerts");
    await expect(badge).toHaveText("2 open alerts, not all acknowledged");
    await page.screenshot({ path: testInfo.outputPath("stopped-bot.png"), fullPage: true });
    await prisma.alertEvent.updateMany({ where: { teamId: team.id }, data: { state: "RESOLVED", openDedupeKey: null, resolvedAt: new Date() } });
    await page.reload();
    await expect(page.getByRole("link", { name: "Alerts" })).toBeVisible();
    await expect(badge).toHaveCount(0);
  } finally {
    await prisma.$disconnect();
  }
});
