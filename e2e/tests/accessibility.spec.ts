// Every page through axe (the WCAG 2 A and AA rules), in the light and the dark theme: no serious or critical
// violation. The pages are the demo desk's as its owner sees them, and the sign-in page signed out.
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect } from "@playwright/test";
import { createPrismaClient } from "@bandkeeper/db/client";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { demoLogin } from "../support/demo";
import { test } from "../support/csp";

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`);
}

for (const scheme of ["dark", "light"] as const) {
  test(`every page in the ${scheme} theme has no serious accessibility violation`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
    const bot = await prisma.bot.findFirstOrThrow({ where: { team: { slug: "demo-desk" }, symbol: "BTCUSDT" } }).finally(() => prisma.$disconnect());

    const found: Record<string, string[]> = {};
    await page.goto("/signin");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    found["/signin"] = await seriousViolations(page);

    await signInViaApi(page, demoLogin("OWNER"));
    const pages = ["/", "/bots", `/bots/${bot.id}`, `/bots/${bot.id}/config`, `/bots/${bot.id}/config/propose`, "/changes", "/changes/new-bot", "/alerts", "/accounts", "/members", "/audit", "/profile", "/teams/new"];
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // Let the client's first queries land, so what is checked is the page a person reads.
      await page.waitForLoadState("networkidle");
      found[path] = await seriousViolations(page);
    }
    expect(Object.fromEntries(Object.entries(found).filter(([, violations]) => violations.length > 0))).toEqual({});
  });
}
