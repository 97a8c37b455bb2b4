import { generateKeyPairSync, randomBytes } from "node:crypto";
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";
import { createSimulatorAccount, simulatorUrl } from "../support/simulator";
import { appCodeOf, callMutation, callQuery } from "../support/trpc";

test.describe("exchange accounts", () => {
  test("a wrong secret is refused on its field and nothing is saved; the right keys add the account, shown by fingerprint", async ({
    page,
    factories,
  }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    const keys = await createSimulatorAccount({ USDT: "250000", BTC: "3" });
    await signInViaApi(page, owner);

    await page.goto("/accounts");
    await page.getByRole("button", { name: "Add account" }).click();
    const form = page.getByRole("form", { name: "Add an exchange account" });
    await form.getByLabel("Name").fill("Paper desk");
    await expect(form.getByLabel("Venue")).toHaveValue("SIMULATOR");
    await form.getByLabel("API key").fill(keys.apiKey);
    await form.getByLabel("API secret").fill(`${keys.apiSecret}-wrong`);
    await form.getByRole("button", { name: "Check keys and add" }).click();

    await expect(form.getByText("this secret does not belong to the API key")).toBeVisible();
    await expect(form.getByLabel("API secret")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("API key")).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("account-Paper desk")).toHaveCount(0);

    await form.getByLabel("API secret").fill(keys.apiSecret);
    await form.getByRole("button", { name: "Check keys and add" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Paper desk was added" })).toBeVisible();
    const row = page.getByTestId("account-Paper desk");
    await expect(row).toContainText("Simulator");
    await expect(row).toContainText(/sha256:[0-9a-f]{8}/);
    await expect(page.getByText(keys.apiKey)).toHaveCount(0);

    await row.getByRole("button", { name: "Balances" }).click();
    const balances = page.getByRole("table", { name: "Balances" });
    await expect(balances.getByRole("row", { name: /USDT/ })).toContainText("250000");
    await expect(balances.getByRole("row", { name: /BTC/ })).toContainText("3");

    // The list the browser gets carries no key material.
    const listed = await callQuery(page, "accounts.list", undefined);
    const text = await listed.text();
    expect(text).not.toContain(keys.apiKey);
    expect(text).not.toContain(keys.apiSecret);
  });

  test("an Ed25519 key: another private key is refused on its field; the right one adds the account, marked Ed25519", async ({
    page,
    factories,
  }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    // The simulator is given only the public key, and checks every signature with it.
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const apiKey = `e2e-ed-${randomBytes(6).toString("hex")}`;
    const registered = await fetch(`${simulatorUrl()}/admin/accounts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apiKey, ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(), balances: { USDT: "7500" } }),
    });
    expect(registered.ok).toBe(true);
    await signInViaApi(page, owner);

    await page.goto("/accounts");
    await page.getByRole("button", { name: "Add account" }).click();
    const form = page.getByRole("form", { name: "Add an exchange account" });
    await form.getByLabel("Name").fill("Ed desk");
    await form.getByLabel("Key type").selectOption("ED25519");
    await expect(form.getByLabel("API secret")).toHaveCount(0);
    await form.getByLabel("API key").fill(apiKey);
    const stranger = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await form.getByLabel("Ed25519 private key (PEM)").fill(stranger);
    await form.getByRole("button", { name: "Check keys and add" }).click();
    await expect(form.getByText("this private key does not belong to the API key")).toBeVisible();
    await expect(form.getByLabel("Ed25519 private key (PEM)")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("account-Ed desk")).toHaveCount(0);

    await form.getByLabel("Ed25519 private key (PEM)").fill(privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    await form.getByRole("button", { name: "Check keys and add" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Ed desk was added" })).toBeVisible();
    const row = page.getByTestId("account-Ed desk");
    await expect(row).toContainText("Ed25519 key");
    await row.getByRole("button", { name: "Balances" }).click();
    await expect(page.getByRole("table", { name: "Balances" }).getByRole("row", { name: /USDT/ })).toContainText("7500");
  });

  test("Binance demo trading is offered beside the other venues and says its keys are the demo site's", async ({ page, factories }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    await signInViaApi(page, owner);
    await page.goto("/accounts");
    await page.getByRole("button", { name: "Add account" }).click();
    const form = page.getByRole("form", { name: "Add an exchange account" });
    await form.getByLabel("Venue").selectOption("BINANCE_DEMO");
    await expect(form.getByText("real market data with paper funds")).toBeVisible();
    await expect(form.getByLabel("Simulator address (optional)")).toHaveCount(0);
  });

  test("disabling an account, after a confirmation that says its bots stop, stops them", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const bot = await factories.quotingBot(team.id, "ETHUSDT");
    await signInViaApi(page, owner);

    await page.goto("/accounts");
    // quotingBot's account is named "Simulator <suffix>"; teamWithBots' own is "Account <suffix>".
    const row = page.locator('[data-testid^="account-Simulator "]');
    await row.getByRole("button", { name: "Disable" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Every bot on this account is stopped");
    await expect(dialog).toContainText("It has 1 bot.");
    await dialog.getByRole("button", { name: "Disable and stop its bots" }).click();

    await expect(page.getByRole("status").filter({ hasText: "Stopping 1 bot: ETHUSDT" })).toBeVisible();
    await expect(row).toContainText("DISABLED");
    await page.goto(`/bots`);
    await expect(page.getByRole("row").filter({ hasText: bot.symbol })).toContainText("STOPPED");
  });

  test("a viewer sees the accounts but cannot add or disable one, in the page or the API", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, ["BTCUSDT"]);
    const viewer = await factories.member(team.id, "VIEWER");
    await signInViaApi(page, viewer);

    await page.goto("/accounts");
    await expect(page.locator('[data-testid^="account-Account "]')).toBeVisible();
    await expect(page.getByRole("button", { name: "Add account" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Disable" })).toHaveCount(0);
    const response = await callMutation(page, "accounts.create", {
      name: "Sneaky",
      venue: "SIMULATOR",
      apiKey: "k",
      apiSecret: "s",
    });
    expect(response.status()).toBe(403);
    expect(await appCodeOf(response)).toBe("PERMISSION_DENIED");
  });

  test("another team's account is not found through the API", async ({ page, factories }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    const stranger = await factories.user();
    const otherTeam = await factories.teamWithBots(stranger.id, []);
    const foreign = await factories.quotingBot(otherTeam.id, "BNBUSDT");
    await signInViaApi(page, owner);

    const balances = await callQuery(page, "accounts.balances", { accountId: foreign.exchangeAccountId });
    expect(balances.status()).toBe(404);
    expect(await appCodeOf(balances)).toBe("NOT_FOUND");
    const disable = await callMutation(page, "accounts.disable", { accountId: foreign.exchangeAccountId });
    expect(disable.status()).toBe(404);
    const list = await callQuery(page, "accounts.list", undefined);
    expect(await list.text()).not.toContain(foreign.exchangeAccountId);
  });
});
