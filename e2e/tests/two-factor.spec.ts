// Two-factor sign-in as a person meets it: set up on the profile (QR code, first code, recovery codes), signing in
// with a code from the app, with a recovery code, and a team that requires it of the roles that approve.
import { type Page, expect } from "@playwright/test";
import { generate } from "otplib";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";
import { callMutation, callQuery } from "../support/trpc";

// Sets it up through the profile page; returns the secret (as the app would hold it) and the recovery codes.
async function enrol(page: Page, password: string, screenshot?: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto("/profile");
  const setup = page.getByRole("form", { name: "Set up two-factor sign-in" });
  await setup.getByLabel("Your password").fill(password);
  await setup.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  if (screenshot) await page.screenshot({ path: test.info().outputPath(`${screenshot}-scan.png`), fullPage: true });
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
  await page.getByLabel("Code from the app").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  if (screenshot) await page.screenshot({ path: test.info().outputPath(`${screenshot}-codes.png`), fullPage: true });
  const recoveryCodes = await codes.allTextContents();
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("10 of 10 recovery codes left.");
  return { secret, recoveryCodes };
}

async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// A code of the next 30-second step: the one of this step was spent on turning it on, and a code works once.
async function nextCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

test.describe("two-factor sign-in", () => {
  test("set up on the profile, then signing in asks for a code; a recovery code works once", async ({ page, browser, factories }) => {
    // Four sign-ins, each with a bcrypt check, and an enrolment.
    test.slow();
    const user = await factories.user({ name: "Tess Totp" });
    await factories.teamWithBots(user.id, []);
    await signInViaApi(page, user);
    const { secret, recoveryCodes } = await enrol(page, user.password, "two-factor");

    // With a code from the app.
    const withCode = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await signInWithForm(withCode, user.email, user.password);
    const code = withCode.getByLabel("Authentication code");
    await expect(code).toBeVisible();
    await expect(code).toBeFocused();
    await withCode.screenshot({ path: test.info().outputPath("sign-in-code.png") });
    await code.fill("000000");
    await withCode.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(withCode.getByRole("alert").filter({ hasText: "This code is not right" })).toBeVisible();
    await code.fill(await nextCode(secret));
    await withCode.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(withCode.getByRole("banner")).toContainText("Tess Totp");
    await withCode.close();

    // With a recovery code, once.
    const withRecovery = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await signInWithForm(withRecovery, user.email, user.password);
    await withRecovery.getByLabel("Authentication code").fill(recoveryCodes[0] ?? "");
    await withRecovery.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(withRecovery.getByRole("banner")).toContainText("Tess Totp");
    await withRecovery.goto("/profile");
    await expect(withRecovery.getByTestId("recovery-codes-left")).toHaveText("9 of 10 recovery codes left.");
    await expect(withRecovery.getByTestId("session-row")).toHaveCount(3);
    await withRecovery.screenshot({ path: test.info().outputPath("profile-security.png"), fullPage: true });
    await withRecovery.close();

    const again = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await signInWithForm(again, user.email, user.password);
    await again.getByLabel("Authentication code").fill(recoveryCodes[0] ?? "");
    await again.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(again.getByRole("alert").filter({ hasText: "This recovery code is not valid or was used already." })).toBeVisible();
    await again.close();
  });

  test("a team that requires it refuses an admin's approval until the admin sets it up", async ({ page, browser, factories }) => {
    test.slow();
    const owner = await factories.user({ name: "Olga Owner" });
    const team = await factories.teamWithBots(owner.id, ["SOLUSDT"]);
    const admin = await factories.member(team.id, "ADMIN");
    const trader = await factories.member(team.id, "TRADER");
    const baseURL = test.info().project.use.baseURL;

    // The owner sets it up for themselves first, then requires it.
    await signInViaApi(page, owner);
    await page.goto("/members");
    const rules = page.getByRole("form", { name: "Approval and sign-in rules" });
    await rules.getByLabel(/Require two-factor sign-in/).check();
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(rules.getByRole("alert").filter({ hasText: "Set up two-factor sign-in for yourself first" })).toBeVisible();
    await enrol(page, owner.password);
    await page.goto("/members");
    await rules.getByLabel(/Require two-factor sign-in/).check();
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(rules.getByRole("status").filter({ hasText: "Rules saved." })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("members-rules.png"), fullPage: true });

    const traderPage = await browser.newPage({ baseURL });
    await signInViaApi(traderPage, trader);
    const bots = (await (await callQuery(traderPage, "bots.list", undefined)).json()) as { result: { data: { json: { id: string }[] } } };
    const botId = bots.result.data.json[0]?.id ?? "";
    const proposed = await callMutation(traderPage, "changes.proposeConfig", { botId, baseVersion: null, config: { ordersPerSide: 2 }, reason: "two levels" });
    expect(proposed.ok()).toBe(true);
    const requestId = ((await proposed.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
    await traderPage.close();

    const adminPage = await browser.newPage({ baseURL });
    await signInViaApi(adminPage, admin);
    await adminPage.goto(`/changes/${requestId}`);
    await adminPage.getByRole("button", { name: "Approve as v1" }).click();
    await expect(adminPage.getByRole("alert").filter({ hasText: `${team.name} requires two-factor sign-in to approve changes` })).toBeVisible();
    await adminPage.goto("/profile");
    await expect(adminPage.getByText(`${team.name} requires two-factor sign-in for your role`)).toBeVisible();
    await enrol(adminPage, admin.password);
    await adminPage.goto(`/changes/${requestId}`);
    await adminPage.getByRole("button", { name: "Approve as v1" }).click();
    await expect(adminPage.getByTestId("decision")).toContainText("Approved by");
    await adminPage.close();
  });
});
