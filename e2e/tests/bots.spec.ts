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
