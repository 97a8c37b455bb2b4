// Founding a team from the dashboard: a new user without a team starts one, lands in it as its OWNER, sees its
// default alert rules, and switches between it and a second team in the header.
import { DEFAULT_ALERT_RULES } from "@bandkeeper/core/alerts";
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";

test("a new user creates a team, sees its default rules, and switches to a second team and back", async ({ page, factories }, testInfo) => {
  const newcomer = await factories.user({ name: "Nina Newcomer" });
  await signInViaApi(page, newcomer);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "No team yet" })).toBeVisible();
  const form = page.getByRole("form", { name: "New team" });
  // A blank name is refused under the field.
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(form.getByText("Give the team a name of at least 2 characters.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("no-team.png"), fullPage: true });

  await form.getByLabel("Team name").fill("Dawn Desk");
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByRole("banner")).toContainText("Dawn Desk");
  await expect(page.getByRole("banner")).toContainText("OWNER");
  const rules = page.getByRole("region", { name: "Rules" });
  for (const rule of DEFAULT_ALERT_RULES) await expect(rules.getByText(rule.name, { exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("new-team-alerts.png"), fullPage: true });

  // A second team from the header's link; the switcher then moves between the two.
  await page.getByRole("link", { name: "+ New team" }).click();
  await page.getByRole("form", { name: "New team" }).getByLabel("Team name").fill("Dusk Desk");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  const switcher = page.getByRole("combobox", { name: "Team" });
  await expect(switcher).toHaveValue(/.+/);
  await expect(switcher.locator("option:checked")).toHaveText("Dusk Desk (owner)");
  await switcher.selectOption({ label: "Dawn Desk (owner)" });
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("combobox", { name: "Team" }).locator("option:checked")).toHaveText("Dawn Desk (owner)");
});
