import { expect } from "@playwright/test";
import { test } from "../support/csp";
import { signInViaApi } from "../support/auth";
import { DEMO_SYMBOLS, demoLogin } from "../support/demo";

test.describe("signing in and out", () => {
  test("the demo trader signs in with the form, lands on the overview and sees the team's bots", async ({ page }) => {
    const trader = demoLogin("TRADER");
    await page.goto("/signin");
    await page.getByLabel("Email").fill(trader.email);
    await page.getByLabel("Password").fill(trader.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
    await page.goto("/bots");
    await expect(page.getByRole("banner")).toContainText("Demo Desk");
    await expect(page.getByRole("banner")).toContainText(trader.email);
    const table = page.getByRole("table", { name: "Bots of this team" });
    await expect(table.getByRole("row")).toHaveCount(1 + DEMO_SYMBOLS.length);
    for (const symbol of DEMO_SYMBOLS) {
      await expect(table.getByRole("rowheader", { name: symbol, exact: true })).toBeVisible();
    }
  });

  test("a wrong password shows a clear message and keeps the visitor signed out", async ({ page }) => {
    const trader = demoLogin("TRADER");
    await page.goto("/signin");
    await page.getByLabel("Email").fill(trader.email);
    await page.getByLabel("Password").fill(`${trader.password}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/bots");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a signed-out visit to the bots page lands on sign-in and returns there after signing in", async ({ page }) => {
    await page.goto("/bots");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fbots$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

    const viewer = demoLogin("VIEWER");
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Password").fill(viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/bots$/);
    await expect(page.getByRole("heading", { name: "Bots" })).toBeVisible();
  });

  test("signing out ends the session", async ({ page }) => {
    await signInViaApi(page, demoLogin("OWNER"));
    await page.goto("/bots");
    await expect(page.getByRole("heading", { name: "Bots" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    const session = await page.request.get("/api/trpc/bots.list");
    expect(session.status()).toBe(401);
  });
});
