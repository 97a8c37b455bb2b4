import { expect } from "@playwright/test";
import { createPrismaClient } from "@bandkeeper/db/client";
import { decryptSecret, parseEncryptionKey } from "@bandkeeper/db/crypto";
import { DEFAULT_BOT_CONFIG } from "@bandkeeper/db/seed";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE, ENCRYPTION_KEY_VARIABLE } from "../support/constants";
import { testWithData as test } from "../support/factories";
import { openOrders } from "../support/simulator";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through playwright.config.ts`);
  return value;
}

test.describe("paper accounts", () => {
  test("an owner creates a paper account on the bundled simulator with chosen balances, and a bot on it quotes", async ({
    page,
    factories,
  }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    await signInViaApi(page, owner);

    await page.goto("/accounts");
    await page.getByRole("button", { name: "Add account" }).click();
    const form = page.getByRole("form", { name: "Add an exchange account" });
    await form.getByLabel("Venue").selectOption({ label: "Paper account on the bundled simulator" });
    await expect(form.getByLabel("API key")).toHaveCount(0);
    await form.getByLabel("Name").fill("Paper desk");
    await form.getByLabel("Starting USDT").fill("400000");
    await form.getByLabel("Starting ETH").fill("12,5x");
    await form.getByRole("button", { name: "Create paper account" }).click();

    // A bad amount is refused under its own field, and nothing is saved.
    await expect(form.getByText("Enter an amount like 1000000 or 0.5")).toBeVisible();
    await expect(form.getByLabel("Starting ETH")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Starting USDT")).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("account-Paper desk")).toHaveCount(0);

    await form.getByLabel("Starting ETH").fill("150");
    await form.getByRole("button", { name: "Create paper account" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Paper desk was added" })).toBeVisible();
    const row = page.getByTestId("account-Paper desk");
    await expect(row).toContainText("Simulator");
    await expect(row).toContainText(/[0-9a-f]{4}…[0-9a-f]{4}/);

    await row.getByRole("button", { name: "Balances" }).click();
    const balances = page.getByRole("table", { name: "Balances" });
    await expect(balances.getByRole("row", { name: /USDT/ })).toContainText("400000");
    await expect(balances.getByRole("row", { name: /ETH/ })).toContainText("150");

    // A bot on the new account, as an approved proposal would make it: the engine runs it and it quotes.
    const prisma = createPrismaClient(required(DATABASE_URL_VARIABLE));
    let botId: string | undefined;
    try {
      const account = await prisma.exchangeAccount.findFirstOrThrow({ where: { teamId: team.id, name: "Paper desk" } });
      const key = parseEncryptionKey(required(ENCRYPTION_KEY_VARIABLE));
      const keys = { apiKey: decryptSecret(account.apiKeyCiphertext, key), apiSecret: decryptSecret(account.apiSecretCiphertext, key) };
      const bot = await prisma.bot.create({
        data: { teamId: team.id, exchangeAccountId: account.id, symbol: "ETHUSDT", desiredState: "RUNNING", stateReason: "waiting for an engine" },
      });
      botId = bot.id;
      const version = await prisma.botConfigVersion.create({ data: { botId: bot.id, version: 1, config: DEFAULT_BOT_CONFIG } });
      await prisma.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });

      await expect
        .poll(async () => [...new Set((await openOrders(keys, "ETHUSDT")).map((order) => order.side))].sort(), { timeout: 20_000 })
        .toEqual(["BUY", "SELL"]);
    } finally {
      if (botId) await prisma.bot.update({ where: { id: botId }, data: { desiredState: "STOPPED" } });
      await prisma.$disconnect();
    }
  });
});
