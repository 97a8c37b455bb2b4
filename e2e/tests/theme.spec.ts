// Light and dark: the dashboard follows the system's colour scheme, and the header's Theme choice overrides it
// (kept in a cookie across loads).
import { type Page, expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { demoLogin } from "../support/demo";
import { test } from "../support/csp";

/** The page background's lightness: near 1 on a light page, near 0 on a dark one. */
async function backgroundLightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d");
    if (!canvas) throw new Error("no canvas");
    canvas.fillStyle = getComputedStyle(document.body).backgroundColor;
    canvas.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = canvas.getImageData(0, 0, 1, 1).data;
    return (r + g + b) / (3 * 255);
  });
}

test("follows the system's light scheme, and the header's choice overrides it across loads", async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: "light" });
  await signInViaApi(page, demoLogin("TRADER"));
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  expect(await backgroundLightness(page)).toBeGreaterThan(0.9);
  await page.screenshot({ path: testInfo.outputPath("overview-light.png") });

  const theme = page.getByLabel("Theme");
  await expect(theme).toHaveValue("system");
  await theme.selectOption("dark");
  await expect.poll(() => backgroundLightness(page)).toBeLessThan(0.1);
  await page.reload();
  await expect(page.getByLabel("Theme")).toHaveValue("dark");
  expect(await backgroundLightness(page)).toBeLessThan(0.1);

  await page.getByLabel("Theme").selectOption("light");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/bots");
  expect(await backgroundLightness(page)).toBeGreaterThan(0.9);
  await page.getByRole("table", { name: "Bots of this team" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "KPIs", exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("bot-light.png"), fullPage: true });

  await page.getByLabel("Theme").selectOption("system");
  await expect.poll(() => backgroundLightness(page)).toBeLessThan(0.1);
});
