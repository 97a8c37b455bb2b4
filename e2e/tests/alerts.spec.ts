import { createHmac } from "node:crypto";
import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";
import { createPrismaClient } from "@bandkeeper/db/client";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { demoLogin } from "../support/demo";
import { testWithData as test } from "../support/factories";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

// A webhook receiver of the test's own, on loopback: what the stack's engine posts to.
async function startReceiver(): Promise<{ url: string; requests: Received[]; close: () => Promise<void> }> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bandkeeper`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.describe("alerts page", () => {
  test("an admin adds a webhook channel and its test notice arrives, signed with the secret shown once", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const admin = await factories.member(team.id, "ADMIN");
    const receiver = await startReceiver();
    try {
      await signInViaApi(page, admin);
      await page.goto("/alerts");
      await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();

      await page.getByRole("button", { name: "Add channel" }).click();
      const form = page.getByRole("form", { name: "Add an alert channel" });
      const name = `Desk hook ${Date.now().toString(36)}`;
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Type").selectOption("WEBHOOK");
      // A bad URL is refused under its field, and nothing is saved.
      await form.getByLabel("Webhook URL").fill("ftp://example.com/hook");
      await form.getByRole("button", { name: "Add channel" }).click();
      await expect(form.getByText("Enter an http:// or https:// URL.")).toBeVisible();

      await form.getByLabel("Webhook URL").fill(receiver.url);
      await form.getByRole("button", { name: "Add channel" }).click();
      const secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
      expect(secret).toMatch(/^whsec_/);

      const row = page.getByTestId("alert-channel").filter({ hasText: name });
      await expect(row).toContainText(receiver.url);
      await row.getByRole("button", { name: "Send test" }).click();
      await expect(page.getByText(`Test notice queued for ${name}`)).toBeVisible();

      // The engine's delivery worker sends it: it arrives signed, and the page shows the delivered attempt.
      await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(1);
      const [request] = receiver.requests;
      const timestamp = request!.headers["x-bandkeeper-timestamp"] as string;
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${request!.body}`).digest("hex")}`;
      expect(request!.headers["x-bandkeeper-signature"]).toBe(expected);
      expect(JSON.parse(request!.body)).toMatchObject({ type: "alert.test", team: { id: team.id, name: team.name } });

      const tests = page.getByRole("list", { name: `Test notices of ${name}` });
      await expect(tests.getByText("DELIVERED", { exact: true })).toBeVisible({ timeout: 15_000 });
      await expect(tests.getByTestId("attempt")).toContainText("delivered (200)");

      // A lost secret is replaced: the next notice is signed with the new one.
      await row.getByRole("button", { name: "New secret" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Replace secret" }).click();
      await expect(page.getByTestId("webhook-secret")).not.toHaveText(secret);
      const rotated = (await page.getByTestId("webhook-secret").textContent()) ?? "";
      await row.getByRole("button", { name: "Send test" }).click();
      await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(2);
      const second = receiver.requests[1]!;
      const signedAt = second.headers["x-bandkeeper-timestamp"] as string;
      expect(second.headers["x-bandkeeper-signature"]).toBe(`sha256=${createHmac("sha256", rotated).update(`${signedAt}.${second.body}`).digest("hex")}`);
    } finally {
      await receiver.close();
    }
  });

  test("a viewer sees the demo team's default rules but no way to change them", async ({ page }) => {
    await signInViaApi(page, demoLogin("VIEWER"));
    await page.goto("/alerts");
    await expect(page.getByTestId("alert-rule").filter({ hasText: "Two-sided presence under 99.9%" })).toContainText("Two-sided presence below 99.9% over 5 min");
    await expect(page.getByTestId("alert-rule")).toHaveCount(10);
    await expect(page.getByRole("button", { name: "Add channel" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Add rule" })).toHaveCount(0);
    await expect(page.getByText("Owners and admins manage channels")).toBeVisible();
  });

  test("an owner adds a rule: a threshold out of range is refused under its field", async ({ page, factories }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, ["SOLUSDT"]);
    await signInViaApi(page, owner);
    await page.goto("/alerts");
    await expect(page.getByText("No rules")).toBeVisible();

    await page.getByRole("button", { name: "Add rule" }).click();
    const form = page.getByRole("form", { name: "Add an alert rule" });
    await form.getByLabel("Name").fill("SOL spread");
    await form.getByLabel("Alert when").selectOption("SPREAD_COMPLIANCE_BELOW");
    await form.getByLabel("Threshold (%)").fill("150");
    await form.getByRole("button", { name: "Add rule" }).click();
    await expect(form.getByText("The threshold must be between 0% and 100%.")).toBeVisible();

    await form.getByLabel("Threshold (%)").fill("99.5");
    await form.getByLabel("Window (seconds)").fill("120");
    await form.getByRole("button", { name: "Add rule" }).click();
    const row = page.getByTestId("alert-rule").filter({ hasText: "SOL spread" });
    await expect(row).toContainText("Spread compliance below 99.5% over 2 min");
  });

  test("a fault the engine sees opens an alert, and a trader acknowledges it", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, ["ADAUSDT"]);
    const trader = await factories.member(team.id, "TRADER");
    const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
    try {
      // The bot is not asked to run, so no engine touches it; its state says it faulted.
      const bot = await prisma.bot.findFirstOrThrow({ where: { teamId: team.id } });
      await prisma.alertRule.create({ data: { teamId: team.id, name: "Faulted bots", kind: "BOT_FAULTED" } });
      await prisma.bot.update({ where: { id: bot.id }, data: { actualState: "FAULTED", stateReason: "negative quantity", stateChangedAt: new Date() } });
    } finally {
      await prisma.$disconnect();
    }
    await signInViaApi(page, trader);
    await page.goto("/alerts");
    // The stack's engine evaluates the rules every few seconds; the page refreshes its history.
    const event = page.getByTestId("alert-event").filter({ hasText: "Faulted bots" });
    await expect(event).toContainText("ADAUSDT: bot faulted: faulted (negative quantity)", { timeout: 20_000 });
    await expect(event).toContainText("No channel on this rule: nothing was sent.");
    await event.getByRole("button", { name: "Acknowledge" }).click();
    await expect(event).toContainText("acknowledged by");
    await expect(event.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  });
});
