import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";

test.describe("overview", () => {
  test("updates live while the engine runs: a new bot appears, starts quoting and shows its prices without a reload", async ({
    page,
    factories,
  }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    await signInViaApi(page, owner);
    await page.goto("/");
    await expect(page.getByText("No bots yet")).toBeVisible();
    // Survives only as long as the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { liveMarker: string }).liveMarker = "still here"));

    const bot = await factories.quotingBot(team.id, "BNBUSDT");
    const card = page.getByRole("article", { name: /^BNBUSDT on / });
    await expect(card).toBeVisible();
    await expect(card.getByText("QUOTING")).toBeVisible({ timeout: 15_000 });
    await expect(card.getByTestId("reference-price")).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2,}$/);
    // Our quotes, each with its distance from the reference inside the default 0.2%-0.4% band.
    for (const side of ["Our bid", "Our ask"]) {
      const quote = card.locator("div", { has: page.getByText(side, { exact: true }) }).locator("dd");
      await expect(quote).toHaveText(/^[\d,]+\.\d+ [+−]0\.[23]\d\d%$/);
    }
    await expect(card.getByText(/engine heartbeat/)).toBeAttached();
    await expect(card.getByRole("table", { name: /KPIs of BNBUSDT/ })).toContainText("Spread compliance");

    // The engine's snapshot keeps moving the heartbeat age, and the page follows without a reload.
    const heartbeat = card.locator("[title^='engine heartbeat']");
    const first = await heartbeat.getAttribute("title");
    await expect.poll(() => heartbeat.getAttribute("title"), { timeout: 5_000 }).not.toBe(first);
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker)).toBe("still here");
    expect(bot.symbol).toBe("BNBUSDT");
  });

  test("shows a phone-width overview without sideways scrolling", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    await factories.quotingBot(team.id, "ETHUSDT");
    await page.setViewportSize({ width: 390, height: 844 });
    await signInViaApi(page, owner);
    await page.goto("/");
    await expect(page.getByRole("article", { name: /^ETHUSDT on / })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
