// Sign-in protection and sessions as a person meets them: wrong passwords are throttled with a message that says
// how long to wait, a password change signs the other browsers out, and "Sign out everywhere" ends every session.
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";

test.describe("account security", () => {
  test("wrong passwords past the fifth must wait, and the form says how long", async ({ page, factories }) => {
    // Up to nine password checks, and the waits between them.
    test.slow();
    const user = await factories.user();
    await factories.teamWithBots(user.id, []);
    await page.goto("/signin");
    await page.getByLabel("Email").fill(user.email);
    const password = page.getByLabel("Password");
    const submit = page.getByRole("button", { name: "Sign in" });
    const invalid = page.getByRole("alert").filter({ hasText: "Invalid email or password." });
    const throttled = page.getByRole("alert").filter({ hasText: /^Too many wrong passwords for this account\. Wait \d+ seconds? before the next try\.$/ });
    const attempt = async (text: string) => {
      await password.fill(text);
      await Promise.all([page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials")), submit.click()]);
    };
    for (let failure = 0; failure < 5; failure++) {
      await attempt(`wrong-${failure}`);
      await expect(invalid).toBeVisible();
    }
    // Past the fifth, each try waits 1, 2, 4… s after the last failure: a person retrying at once is told to wait.
    let tries = 0;
    while (!(await throttled.isVisible()) && tries < 4) {
      await attempt(`wrong-again-${tries++}`);
      await expect(invalid.or(throttled)).toBeVisible();
    }
    await expect(throttled).toBeVisible();
    // Once the wait is over the right password signs in.
    await password.fill(user.password);
    await expect(async () => {
      const [response] = await Promise.all([page.waitForResponse((answer) => answer.url().includes("/api/auth/callback/credentials")), submit.click()]);
      expect(response.status(), "still throttled").toBe(200);
    }).toPass({ timeout: 30_000, intervals: [1_000] });
    await expect(page.getByRole("banner")).toBeVisible();
  });

  test("a password change signs the other browsers out; sign out everywhere ends this one too", async ({ page, browser, factories }) => {
    const user = await factories.user({ name: "Sid Sessions" });
    await factories.teamWithBots(user.id, []);
    const other = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await signInViaApi(other, user);
    await signInViaApi(page, user);

    await page.goto("/profile");
    await expect(page.getByTestId("session-row")).toHaveCount(2);
    await expect(page.getByTestId("session-row").first()).toContainText("This browser");
    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill("a brand new password");
    await page.getByLabel("New password again").fill("a brand new password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();

    // The other browser's cookie is still there, but its session has ended.
    await other.goto("/profile");
    await expect(other).toHaveURL(/\/signin/);
    await other.close();

    await expect(page.getByTestId("session-row")).toHaveCount(1);
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
  });
});
