import { expect } from "@playwright/test";
import { test } from "../support/csp";
import { signInViaApi } from "../support/auth";
import { demoLogin } from "../support/demo";

test.describe("bots page", () => {
  test.beforeEach(async ({ page }) => {
    await signInViaApi(page, demoLogin("TRADER"));
  });

  test("lists each bot with its account and states", async ({ page }) => {
    await page.goto("/bots");
    const table = page.getByRole("table", { name: "Bots of this team" });
    await expect(table.getByRole("row")).toHaveCount(4);
    const btc = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "BTCUSDT" }) });
    await expect(btc.getByRole("cell")).toHaveCount(4);
    await expect(btc).toContainText("Simulator");
    // The stack's engine claims the demo bots and quotes them on the simulator.
    await expect(btc).toContainText("QUOTING");
    await expect(page.getByRole("link", { name: "Bots" })).toHaveAttribute("aria-current", "page");
  });

  test("searches by symbol or account, filters by state and account, sorts by a column, all kept in the URL", async ({ page }) => {
    await page.goto("/bots");
    const table = page.getByRole("table", { name: "Bots of this team" });
    const symbols = table.getByRole("rowheader").getByRole("link");
    await expect(symbols).toHaveText(["BNBUSDT", "BTCUSDT", "ETHUSDT"]);

    await page.getByRole("searchbox", { name: "Search" }).fill("eth");
    await expect(symbols).toHaveText(["ETHUSDT"]);
    await expect(page).toHaveURL(/[?&]q=eth/);
    await expect(page.getByRole("status").getByText("1 of 3 bots")).toBeVisible();
    // A filtered view survives a reload (and can be shared).
    await page.reload();
    await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("eth");
    await expect(symbols).toHaveText(["ETHUSDT"]);
    // The account's name finds its bots too.
    await page.getByRole("searchbox", { name: "Search" }).fill("simulator");
    await expect(symbols).toHaveCount(3);

    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("State").selectOption("FAULTED");
    await expect(page.getByText("No bot matches")).toBeVisible();
    await page.getByLabel("State").selectOption("");
    const account = page.getByLabel("Account");
    await account.selectOption({ index: 1 });
    await expect(page).toHaveURL(/[?&]account=/);
    await expect(symbols).toHaveCount(3);

    // The symbol column's header reverses its order, and says so.
    const symbolHeader = table.getByRole("columnheader", { name: "Symbol" });
    await symbolHeader.getByRole("button").click();
    await expect(symbolHeader).toHaveAttribute("aria-sort", "descending");
    await expect(symbols).toHaveText(["ETHUSDT", "BTCUSDT", "BNBUSDT"]);
    await expect(page).toHaveURL(/[?&]sort=symbol&dir=desc/);
    await page.getByLabel("Sort by").selectOption("config:desc");
    await expect(table.getByRole("columnheader", { name: "Config" })).toHaveAttribute("aria-sort", "descending");
  });

  test("fits a phone-width screen without the page scrolling sideways", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/bots");
    const table = page.getByRole("table", { name: "Bots of this team" });
    await expect(table).toBeVisible();
    // The account column folds under the symbol; the state columns stay on screen.
    await expect(table.getByRole("columnheader", { name: "Account" })).toBeHidden();
    await expect(table.getByText("Simulator").first()).toBeInViewport();
    await expect(table.getByRole("columnheader", { name: "Actual" })).toBeInViewport();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
