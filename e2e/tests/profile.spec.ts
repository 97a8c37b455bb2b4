import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";

test.describe("profile", () => {
  test("changing one's password names each problem, then the new password signs in and the old one does not", async ({
    page,
    factories,
  }) => {
    const user = await factories.user({ name: "Pat Password" });
    await factories.teamWithBots(user.id, []);
    await signInViaApi(page, user);

    await page.goto("/");
    await page.getByRole("banner").getByRole("link", { name: /Pat Password/ }).click();
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();

    const current = page.getByLabel("Current password");
    const next = page.getByLabel("New password", { exact: true });
    const again = page.getByLabel("New password again");
    const submit = page.getByRole("button", { name: "Change password" });

    await current.fill("not-my-password");
    await next.fill("short");
    await again.fill("short");
    await submit.click();
    await expect(page.getByText("At least 10 characters.")).toBeVisible();
    await expect(next).toHaveAttribute("aria-invalid", "true");

    await next.fill("correct horse battery");
    await again.fill("correct horse battery");
    await submit.click();
    await expect(page.getByText("This is not your current password.")).toBeVisible();
    await expect(current).toHaveAttribute("aria-invalid", "true");

    await current.fill(user.password);
    await again.fill("correct horse battery!");
    await submit.click();
    await expect(page.getByText("Does not match the new password.")).toBeVisible();

    await again.fill("correct horse battery");
    await submit.click();
    await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("banner")).toContainText("Pat Password");
  });
});
