import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";
import { appCodeOf, callMutation, callQuery } from "../support/trpc";

test.describe("members and the audit log", () => {
  test("an owner changes a role; the audit log shows who did it, filterable by action and person", async ({ page, factories }) => {
    const owner = await factories.user({ name: "Otto Owner" });
    const team = await factories.teamWithBots(owner.id, []);
    const trader = await factories.member(team.id, "TRADER");
    await signInViaApi(page, owner);

    await page.goto("/members");
    const row = page.getByTestId(`member-${trader.email}`);
    await row.getByRole("combobox", { name: /Role of/ }).selectOption("ADMIN");
    await expect(page.getByRole("status").filter({ hasText: "Role changed." })).toBeVisible();

    // The last owner cannot step down: the page says why and keeps the role.
    const ownerRow = page.getByTestId(`member-${owner.email}`);
    await ownerRow.getByRole("combobox", { name: /Role of/ }).selectOption("VIEWER");
    await expect(page.getByRole("alert").filter({ hasText: "A team needs at least one owner" })).toBeVisible();
    await expect(ownerRow.getByRole("combobox", { name: /Role of/ })).toHaveValue("OWNER");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    const log = page.getByRole("table", { name: "Audit entries, newest first" });
    const entry = log.getByRole("row").filter({ hasText: "member.change_role" });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText("Otto Owner");
    await expect(entry).toContainText(`email=${trader.email}`);
    await expect(entry).toContainText("from=TRADER");

    await page.getByLabel("Action").selectOption("member.change_role");
    await expect(page).toHaveURL(/action=member\.change_role/);
    await expect(log.getByRole("row")).toHaveCount(2);
    await page.getByLabel("From (UTC)").fill("2000-01-02");
    await page.getByLabel("To (UTC)").fill("2000-01-01");
    await expect(page.getByText("The end date must not be before the start date.")).toBeVisible();
    await page.getByRole("button", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/audit$/);
  });

  test("members of another team are not found through the API", async ({ page, browser, factories }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    const stranger = await factories.user();
    const otherTeam = await factories.teamWithBots(stranger.id, []);
    const otherMember = await factories.member(otherTeam.id, "TRADER");

    // The real membership id, as the other team's owner sees it.
    const strangerPage = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await signInViaApi(strangerPage, stranger);
    const listed = (await (await callQuery(strangerPage, "members.list", undefined)).json()) as {
      result: { data: { json: { id: string; email: string }[] } };
    };
    const membershipId = listed.result.data.json.find((member) => member.email === otherMember.email)?.id;
    expect(membershipId).toBeDefined();
    await strangerPage.close();

    await signInViaApi(page, owner);
    await page.goto("/members");
    await expect(page.getByText(otherMember.email)).toHaveCount(0);
    for (const [path, input] of [
      ["members.remove", { membershipId }],
      ["members.changeRole", { membershipId, role: "VIEWER" }],
    ] as const) {
      const response = await callMutation(page, path, input);
      expect(response.status(), path).toBe(404);
      expect(await appCodeOf(response)).toBe("NOT_FOUND");
    }
  });
});
