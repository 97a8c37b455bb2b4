import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";

test.describe("invitations and teams", () => {
  test("an owner invites by email; the invitee opens the link, sets a name and password and is in the team", async ({
    page,
    browser,
    factories,
  }) => {
    const owner = await factories.user({ name: "Iris Inviter" });
    const team = await factories.teamWithBots(owner.id, ["BTCUSDT"]);
    const email = `invitee-${Date.now().toString(36)}@e2e.bandkeeper.local`;
    await signInViaApi(page, owner);

    await page.goto("/members");
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("not-an-email");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    await expect(form.getByText("Enter an email address")).toBeVisible();
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption("TRADER");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    const link = await page.getByTestId("invitation-link").inputValue();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole("row").filter({ hasText: email })).toContainText("PENDING");

    // The invitee, in a browser of their own with no session.
    const invitee = await browser.newPage({ baseURL: new URL(link).origin });
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("heading", { name: `Join ${team.name}` })).toBeVisible();
    await expect(invitee.getByText(`Iris Inviter invited ${email} as TRADER`)).toBeVisible();
    await invitee.getByLabel("Your name").fill("Nora Newcomer");
    await invitee.getByLabel("Choose a password").fill("short");
    await invitee.getByLabel("Password again").fill("short");
    await invitee.getByRole("button", { name: "Join the team" }).click();
    await expect(invitee.getByText("At least 10 characters.")).toBeVisible();

    await invitee.getByLabel("Choose a password").fill("a-long-enough-password");
    await invitee.getByLabel("Password again").fill("a-long-enough-password");
    await invitee.getByRole("button", { name: "Join the team" }).click();
    await expect(invitee.getByRole("banner")).toContainText(team.name);
    await expect(invitee.getByRole("banner")).toContainText("Nora Newcomer");
    await expect(invitee.getByRole("banner")).toContainText("TRADER");

    // The link worked once.
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();
    await invitee.close();

    await page.reload();
    await expect(page.getByTestId(`member-${email}`)).toContainText("Nora Newcomer");
    await expect(page.getByRole("row").filter({ hasText: email }).last()).toContainText("ACCEPTED");
  });

  test("an admin may invite, but not as owner", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const admin = await factories.member(team.id, "ADMIN");
    await signInViaApi(page, admin);

    await page.goto("/members");
    const roles = page.getByRole("form", { name: "Invite a member" }).getByLabel("Role").getByRole("option");
    await expect(roles).toHaveText([/^ADMIN/, /^TRADER/, /^VIEWER/]);
    // Only the owner changes roles and removes members.
    await expect(page.getByRole("combobox", { name: /Role of/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
  });

  test("an existing user joins a second team with their password and switches between the two", async ({
    page,
    browser,
    factories,
  }) => {
    const person = await factories.user({ name: "Sam Switcher" });
    const first = await factories.teamWithBots(person.id, ["SOLUSDT"]);
    const secondOwner = await factories.user();
    const second = await factories.teamWithBots(secondOwner.id, ["XRPUSDT"]);

    const ownerPage = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await signInViaApi(ownerPage, secondOwner);
    await ownerPage.goto("/members");
    const form = ownerPage.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill(person.email);
    await form.getByLabel("Role").selectOption("VIEWER");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    const link = new URL(await ownerPage.getByTestId("invitation-link").inputValue());
    await ownerPage.close();

    await page.goto(link.pathname);
    await expect(page.getByText("You already have a Bandkeeper account")).toBeVisible();
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Join the team" }).click();
    await expect(page.getByText(`This is not the password of ${person.email}'s account.`)).toBeVisible();
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Join the team" }).click();

    // Signed in, in the team joined first; the team name is now a switcher.
    const switcher = page.getByRole("banner").getByTestId("team-switcher");
    await expect(switcher).toHaveValue(first.id);
    await page.goto("/bots");
    await expect(page.getByRole("rowheader", { name: "SOLUSDT" })).toBeVisible();

    await switcher.selectOption(second.id);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("banner").getByTestId("team-switcher")).toHaveValue(second.id);
    await expect(page.getByRole("banner")).toContainText("VIEWER");
    await page.goto("/bots");
    await expect(page.getByRole("rowheader", { name: "XRPUSDT" })).toBeVisible();
    await expect(page.getByText("SOLUSDT")).toHaveCount(0);

    // A session update naming a team the user is not in changes nothing.
    const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const update = await page.request.post("/api/auth/session", {
      data: { csrfToken: csrf.csrfToken, data: { teamId: "some-other-team" } },
    });
    expect(((await update.json()) as { teamId: string }).teamId).toBe(second.id);
  });

  test("someone who leaves the team they work in is asked to continue in another of theirs", async ({ page, factories }) => {
    const person = await factories.user({ name: "Lee Leaver" });
    const first = await factories.teamWithBots(person.id, []);
    const second = await factories.teamWithBots(person.id, ["ADAUSDT"]);
    await factories.member(first.id, "OWNER");
    await signInViaApi(page, person);

    await page.goto("/members");
    await expect(page.getByRole("banner").getByTestId("team-switcher")).toHaveValue(first.id);
    const ownRow = page.getByTestId(`member-${person.email}`);
    await expect(ownRow.getByRole("button", { name: "Remove" })).toHaveCount(0);
    await ownRow.getByRole("button", { name: "Leave team" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("You lose access to this team at once.");
    await dialog.getByRole("button", { name: "Leave the team" }).click();

    await expect(page.getByRole("heading", { name: "Choose a team" })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    await page.getByTestId("team-switcher").selectOption(second.id);
    await expect(page.getByRole("banner")).toContainText(second.name);
    await page.goto("/bots");
    await expect(page.getByRole("rowheader", { name: "ADAUSDT" })).toBeVisible();
  });
});
