import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { DEMO_SYMBOLS } from "../support/demo";
import { testWithData as test } from "../support/factories";

test.describe("teams", () => {
  test("a member of another team sees only that team's bots", async ({ page, factories }) => {
    const owner = await factories.user({ name: "Olga Other" });
    const team = await factories.teamWithBots(owner.id, ["SOLUSDT"]);
    await signInViaApi(page, owner);

    await page.goto("/bots");
    await expect(page.getByRole("banner")).toContainText(team.name);
    const table = page.getByRole("table", { name: "Bots of this team" });
    await expect(table.getByRole("rowheader", { name: "SOLUSDT", exact: true })).toBeVisible();
    await expect(table.getByRole("row")).toHaveCount(2);
    for (const symbol of DEMO_SYMBOLS) await expect(page.getByText(symbol)).toHaveCount(0);
  });

  test("a team without bots shows the empty state", async ({ page, factories }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    await signInViaApi(page, owner);

    await page.goto("/bots");
    await expect(page.getByText("No bots yet")).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
  });

  test("a user without a team is told so and can sign out", async ({ page, factories }) => {
    const loner = await factories.user();
    await signInViaApi(page, loner);

    await page.goto("/bots");
    await expect(page.getByRole("heading", { name: "No team yet" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
  });
});
