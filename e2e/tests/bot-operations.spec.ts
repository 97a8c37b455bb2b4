import { readFile } from "node:fs/promises";
import { type Page, expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";
import { openOrders } from "../support/simulator";

// A tRPC mutation over HTTP as any client could send it (superjson body), bypassing the UI.
async function callMutation(page: Page, path: string, input: unknown) {
  return page.request.post(`/api/trpc/${path}`, { data: { json: input }, failOnStatusCode: false });
}

test.describe("bot operations", () => {
  test("emergency stop, confirmed in a dialog, cancels the bot's orders on the simulator", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const trader = await factories.member(team.id, "TRADER");
    const bot = await factories.quotingBot(team.id, "BTCUSDT");
    await expect
      .poll(async () => (await openOrders(bot.simulator, bot.symbol)).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);

    await signInViaApi(page, trader);
    await page.goto(`/bots/${bot.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "BTCUSDT" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Open orders" }).getByRole("row")).not.toHaveCount(1);

    await page.getByRole("button", { name: "Emergency stop" }).click();
    const dialog = page.getByRole("dialog", { name: "Emergency stop?" });
    await expect(dialog).toBeVisible();
    // Escape cancels: nothing happens.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    expect((await openOrders(bot.simulator, bot.symbol)).length).toBeGreaterThanOrEqual(2);

    await page.getByRole("button", { name: "Emergency stop" }).click();
    await dialog.getByLabel(/Reason/).fill("e2e drill");
    await dialog.getByRole("button", { name: "Stop and cancel orders" }).click();

    await expect.poll(async () => openOrders(bot.simulator, bot.symbol), { timeout: 15_000 }).toEqual([]);
    await expect(page.getByText("No open orders.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Start" })).toBeVisible();
    await expect(page.getByRole("list").getByText("Emergency stop by")).toContainText("e2e drill");
  });

  test("pause pulls the bot's quotes from the simulator and start puts them back", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const bot = await factories.quotingBot(team.id, "ETHUSDT");
    const sides = async () => (await openOrders(bot.simulator, bot.symbol)).map((order) => order.side).sort();
    await expect.poll(sides, { timeout: 15_000 }).toEqual(["BUY", "SELL"]);

    await signInViaApi(page, owner);
    await page.goto(`/bots/${bot.id}`);
    await page.getByRole("button", { name: "Pause" }).click();
    await page.getByRole("dialog", { name: "Pause the bot?" }).getByRole("button", { name: "Pause" }).click();
    await expect.poll(sides, { timeout: 15_000 }).toEqual([]);
    await expect(page.getByRole("heading", { level: 1 }).locator("..").getByText("PAUSED").first()).toBeVisible();

    await page.getByRole("button", { name: "Start" }).click();
    // Enter confirms: the dialog's default button has the focus.
    await expect(page.getByRole("dialog", { name: "Start quoting?" })).toBeVisible();
    await page.keyboard.press("Enter");
    await expect.poll(sides, { timeout: 15_000 }).toEqual(["BUY", "SELL"]);
    await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  });

  test("a viewer sees no start, pause or stop, and the server refuses them", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const viewer = await factories.member(team.id, "VIEWER");
    const bot = await factories.quotingBot(team.id, "ETHUSDT");
    await expect
      .poll(async () => (await openOrders(bot.simulator, bot.symbol)).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);

    await signInViaApi(page, viewer);
    await page.goto(`/bots/${bot.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "ETHUSDT" })).toBeVisible();
    await expect(page.getByText("QUOTING").first()).toBeVisible({ timeout: 10_000 });
    for (const name of ["Start", "Pause", "Emergency stop"]) await expect(page.getByRole("button", { name })).toHaveCount(0);

    for (const path of ["bots.emergencyStop", "bots.pause", "bots.start"]) {
      const response = await callMutation(page, path, { botId: bot.id });
      expect(response.status(), path).toBe(403);
    }
    // Still quoting on the exchange.
    expect((await openOrders(bot.simulator, bot.symbol)).length).toBeGreaterThanOrEqual(2);
  });

  test("another team's bot is not found by URL or API", async ({ page, factories }) => {
    const owner = await factories.user();
    await factories.teamWithBots(owner.id, []);
    const stranger = await factories.user();
    const otherTeam = await factories.teamWithBots(stranger.id, []);
    const foreign = await factories.quotingBot(otherTeam.id, "BNBUSDT");

    await signInViaApi(page, owner);
    const page404 = await page.goto(`/bots/${foreign.id}`);
    expect(page404?.status()).toBe(404);
    await expect(page.getByText("Bot not found")).toBeVisible();
    expect((await page.goto(`/bots/${foreign.id}/config`))?.status()).toBe(404);
    expect((await page.goto("/bots/no-such-bot"))?.status()).toBe(404);
    const response = await callMutation(page, "bots.emergencyStop", { botId: foreign.id });
    expect(response.status()).toBe(404);
    const csv = await page.request.get(`/api/bots/${foreign.id}/kpis?from=2026-11-01&to=2026-11-02`, { failOnStatusCode: false });
    expect(csv.status()).toBe(404);
  });

  test("the bot page switches its KPI charts between 1h, 24h, 7d and 30d", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const bot = await factories.quotingBot(team.id, "BNBUSDT");
    await signInViaApi(page, owner);
    await page.goto(`/bots/${bot.id}`);
    const ranges = page.getByRole("group", { name: "KPI range" });
    await expect(ranges.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
    for (const range of ["24h", "7d", "30d"]) {
      await ranges.getByRole("button", { name: range }).click();
      await expect(ranges.getByRole("button", { name: range })).toHaveAttribute("aria-pressed", "true");
      await expect(page.getByRole("table", { name: `KPIs over ${range}` })).toContainText("Spread compliance");
    }
    // The running bot's first minute rows reach the 1h chart within its 5-second refresh.
    await ranges.getByRole("button", { name: "1h" }).click();
    await expect(page.getByRole("img", { name: "Spread compliance" })).toBeVisible({ timeout: 15_000 });
  });

  test("the KPI export downloads a CSV with a total row, and a bad period is refused naming the field", async ({ page, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const bot = await factories.quotingBot(team.id, "BTCUSDT");
    await signInViaApi(page, owner);
    await page.goto(`/bots/${bot.id}`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^bandkeeper-kpis-BTCUSDT-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-hour\.csv$/);
    const lines = (await readFile(await file.path(), "utf8")).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^period_start_utc,running_ms,spread_compliant_ms,spread_compliance,/);
    expect(lines.at(-1)).toMatch(/^TOTAL,\d+,/);
    const refused = await page.request.get(`/api/bots/${bot.id}/kpis?from=2026-11-02&to=2026-11-01`, { failOnStatusCode: false });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain("to: must not be before from");
  });
});
