// "Pause all" and "Emergency stop all" on the Accounts page: a person confirms in a dialog that names the account
// and how many bots it affects, the engine pulls the bots' orders from the simulator, and the bots show it.
import { createPrismaClient } from "@bandkeeper/db/client";
import { type Page, expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { type QuotingBot, testWithData as test } from "../support/factories";
import { openOrders } from "../support/simulator";
import { callMutation } from "../support/trpc";

async function accountName(bot: QuotingBot): Promise<string> {
  const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
  try {
    return (await prisma.exchangeAccount.findUniqueOrThrow({ where: { id: bot.exchangeAccountId } })).name;
  } finally {
    await prisma.$disconnect();
  }
}

const ordersOf = async (bots: QuotingBot[]) => (await Promise.all(bots.map((bot) => openOrders(bot.simulator, bot.symbol)))).flat().length;

// Both bots quote on the simulator: a bid and an ask each.
async function bothQuoting(bots: QuotingBot[]): Promise<void> {
  await expect.poll(() => ordersOf(bots), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
}

/** The Bots page filtered to the account (the link of its bot count), each bot's desired and actual state. */
async function statesOnBotsPage(page: Page, name: string): Promise<void> {
  await page.getByRole("link", { name: `2 bots of ${name}` }).click();
  await expect(page).toHaveURL(/\/bots\?account=/);
  await expect(page.getByRole("status").getByText("2 bots")).toBeVisible();
}

test.describe("pause all and emergency stop all on an account", () => {
  test("a trader stops every bot of an account after confirming: orders cancelled, the bots show STOPPED", async ({ page, factories }) => {
    // Two bots to start quoting, stop and show stopped on three pages.
    test.setTimeout(60_000);
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const trader = await factories.member(team.id, "TRADER");
    const btc = await factories.quotingBot(team.id, "BTCUSDT");
    const eth = await factories.quotingBot(team.id, "ETHUSDT", { sameAccountAs: btc });
    const name = await accountName(btc);
    await bothQuoting([btc, eth]);

    await signInViaApi(page, trader);
    await page.goto("/accounts");
    const row = page.getByTestId(`account-${name}`);
    await expect(row).toContainText("2 running");
    // A trader operates bots but does not manage accounts.
    await expect(row.getByRole("button", { name: "Disable" })).toHaveCount(0);

    await row.getByRole("button", { name: "Emergency stop all" }).click();
    const dialog = page.getByRole("dialog", { name: `Emergency stop all bots on ${name}?` });
    await expect(dialog).toContainText("This stops 2 bots of the 2 bots on this account");
    // Escape backs out: nothing happens.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    expect(await ordersOf([btc, eth])).toBeGreaterThanOrEqual(4);

    await row.getByRole("button", { name: "Emergency stop all" }).click();
    await dialog.getByLabel(/Reason/).fill("e2e account drill");
    await dialog.getByRole("button", { name: "Stop 2 bots and cancel orders" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Stopping 2 bots" })).toContainText(`on ${name}: BTCUSDT, ETHUSDT.`);
    await expect.poll(() => ordersOf([btc, eth]), { timeout: 20_000 }).toBe(0);
    // Nothing left to stop: the buttons go.
    await expect(row.getByRole("button", { name: "Emergency stop all" })).toHaveCount(0);

    await statesOnBotsPage(page, name);
    const table = page.getByRole("table", { name: "Bots of this team" });
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      const botRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: symbol }) });
      // Desired and actual: the engine has stopped the bot.
      await expect(botRow.getByText("STOPPED", { exact: true })).toHaveCount(2, { timeout: 15_000 });
    }
    await page.goto(`/bots/${eth.id}`);
    await expect(page.getByRole("list", { name: "Bot events" }).getByText("Emergency stop by")).toContainText("e2e account drill");
  });

  test("an owner pauses every running bot of an account: quotes pulled, the bots show PAUSED", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const btc = await factories.quotingBot(team.id, "BTCUSDT");
    const bnb = await factories.quotingBot(team.id, "BNBUSDT", { sameAccountAs: btc });
    const name = await accountName(btc);
    await bothQuoting([btc, bnb]);

    await signInViaApi(page, owner);
    await page.goto("/accounts");
    await page.getByRole("button", { name: `Pause all bots on ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Pause all bots on ${name}?` });
    await expect(dialog).toContainText("This pauses 2 bots of the 2 bots on this account");
    // Pausing is not dangerous: its button has the focus, so Enter confirms.
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Pausing 2 bots" })).toBeVisible();
    await expect.poll(() => ordersOf([btc, bnb]), { timeout: 20_000 }).toBe(0);

    await statesOnBotsPage(page, name);
    const table = page.getByRole("table", { name: "Bots of this team" });
    for (const symbol of ["BTCUSDT", "BNBUSDT"]) {
      const botRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: symbol }) });
      await expect(botRow.getByText("PAUSED", { exact: true })).toHaveCount(2, { timeout: 15_000 });
    }
  });

  test("a viewer sees neither button, and the server refuses both", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const viewer = await factories.member(team.id, "VIEWER");
    const bot = await factories.quotingBot(team.id, "ETHUSDT");
    const name = await accountName(bot);

    await signInViaApi(page, viewer);
    await page.goto("/accounts");
    const row = page.getByTestId(`account-${name}`);
    await expect(row).toContainText("1 running");
    for (const button of ["Pause all", "Emergency stop all"]) await expect(row.getByRole("button", { name: button })).toHaveCount(0);
    for (const path of ["bots.pauseAccount", "bots.emergencyStopAccount"]) {
      const response = await callMutation(page, path, { exchangeAccountId: bot.exchangeAccountId });
      expect(response.status(), path).toBe(403);
    }
  });
});
