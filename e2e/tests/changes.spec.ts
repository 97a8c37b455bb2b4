import { type Browser, type BrowserContext, type Page, expect } from "@playwright/test";
import { type Login, signInViaApi } from "../support/auth";
import { watchCsp } from "../support/csp";
import { testWithData as test } from "../support/factories";
import { type SimulatorAccount, openOrders } from "../support/simulator";

// A tRPC mutation over HTTP as any client could send it (superjson body), bypassing the UI.
async function callMutation(page: Page, path: string, input: unknown) {
  return page.request.post(`/api/trpc/${path}`, { data: { json: input }, failOnStatusCode: false });
}

// The id of the team's bot for a symbol, through the API the dashboard itself uses.
async function botIdOf(page: Page, symbol: string): Promise<string> {
  const response = await page.request.get("/api/trpc/bots.list");
  const body = (await response.json()) as { result: { data: { json: { id: string; symbol: string }[] } } };
  const bot = body.result.data.json.find((candidate) => candidate.symbol === symbol);
  if (!bot) throw new Error(`no ${symbol} bot in the signed-in member's team`);
  return bot.id;
}

const otherBrowsers: BrowserContext[] = [];
const cspWatches: string[][] = [];

test.afterEach(async () => {
  await Promise.all(otherBrowsers.splice(0).map((context) => context.close()));
  expect(cspWatches.splice(0).flat(), "Content-Security-Policy violations in the second browser").toEqual([]);
});

// A second person at their own browser.
async function pageOf(browser: Browser, login: Login): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  otherBrowsers.push(context);
  cspWatches.push(await watchCsp(context));
  const page = await context.newPage();
  await signInViaApi(page, login);
  return page;
}

// Our best bid and ask on the simulator, and the gap between them relative to their middle: with the default band
// (0.2%-0.4% a side, target 0.32%) it is at most 0.8%, about 0.64%; with a 0.6%-1% band (target 0.8% a side) at
// least 1.2%, about 1.6%.
async function quotedGap(account: SimulatorAccount, symbol: string): Promise<number | null> {
  const orders = await openOrders(account, symbol);
  const bids = orders.filter((order) => order.side === "BUY").map((order) => Number(order.price));
  const asks = orders.filter((order) => order.side === "SELL").map((order) => Number(order.price));
  if (bids.length === 0 || asks.length === 0) return null;
  const bid = Math.max(...bids);
  const ask = Math.min(...asks);
  return (ask - bid) / ((ask + bid) / 2);
}

test.describe("change requests", () => {
  test("a trader proposes a wider band, cannot approve it, an admin approves and the running bot's quotes move", async ({
    page,
    browser,
    factories,
  }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const trader = await factories.member(team.id, "TRADER");
    const admin = await factories.member(team.id, "ADMIN");
    const bot = await factories.quotingBot(team.id, "BTCUSDT");
    await expect.poll(() => quotedGap(bot.simulator, bot.symbol), { timeout: 20_000 }).toBeLessThan(0.009);

    // The trader proposes; the form checks each field with the engine's schema as it is typed.
    await signInViaApi(page, trader);
    await page.goto(`/bots/${bot.id}/config`);
    await expect(page.getByTestId("version-in-force")).toContainText("v1");
    await page.getByRole("link", { name: "Propose a change" }).click();
    await page.getByLabel("Min spread").fill("0.006");
    await expect(page.getByTestId("issue-band.minSpread")).toHaveText("The closest distance (0.006 = 0.6%) must be below the farthest (0.004 = 0.4%)");
    await expect(page.getByRole("button", { name: "Propose against v1" })).toBeDisabled();
    await page.getByLabel("Max spread").fill("0.01");
    await expect(page.getByTestId("issue-band.minSpread")).toHaveCount(0);
    const diff = page.getByTestId("config-diff");
    await expect(diff.getByRole("row", { name: /Min spread/ })).toContainText("0.006 (0.60%)");
    await expect(diff.getByRole("row", { name: /Max spread/ })).toContainText("0.01 (1.00%)");
    await page.getByLabel(/Reason/).fill("issuer asked for a wider band this week");
    await page.getByRole("button", { name: "Propose against v1" }).click();

    // The same trader cannot approve it: no button, and the server refuses the call.
    await expect(page).toHaveURL(/\/changes\/[a-z0-9]+$/);
    const requestUrl = page.url();
    const requestId = requestUrl.split("/").pop()!;
    await expect(page.getByText("PENDING")).toBeVisible();
    await expect(page.getByText("You proposed this request")).toBeVisible();
    await expect(page.getByRole("button", { name: /Approve/ })).toHaveCount(0);
    expect((await callMutation(page, "changes.approve", { id: requestId })).status()).toBe(403);

    // An admin approves; the engine applies version 2 live and says when.
    const adminPage = await pageOf(browser, admin);
    await adminPage.goto("/changes");
    await adminPage.getByTestId("pending-changes").getByRole("link", { name: "BTCUSDT" }).click();
    await expect(adminPage).toHaveURL(requestUrl);
    await adminPage.getByLabel(/Comment/).fill("ok for this week");
    await adminPage.getByRole("button", { name: "Approve as v2" }).click();
    await expect(adminPage.getByTestId("decision")).toContainText("Approved by");
    await expect(adminPage.getByTestId("applied-status")).toContainText("Applied by the engine", { timeout: 20_000 });

    // Its quotes move out to the new band on the exchange.
    await expect.poll(() => quotedGap(bot.simulator, bot.symbol), { timeout: 20_000 }).toBeGreaterThan(0.011);

    await page.goto(`/bots/${bot.id}/config`);
    await expect(page.getByTestId("version-in-force")).toContainText("v2");
    await expect(page.getByTestId("version-in-force")).not.toContainText("not applied yet");
    const history = page.getByTestId("config-history");
    await expect(history.getByRole("row")).toHaveCount(3);
    await expect(history.getByRole("row", { name: /v2/ })).toContainText("issuer asked for a wider band this week");
  });

  test("an admin rejects a proposal with a comment the proposer reads; a viewer cannot propose", async ({
    page,
    browser,
    factories,
  }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, ["ETHUSDT"]);
    const trader = await factories.member(team.id, "TRADER");
    const admin = await factories.member(team.id, "ADMIN");
    const viewer = await factories.member(team.id, "VIEWER");

    await signInViaApi(page, trader);
    const botId = await botIdOf(page, "ETHUSDT");
    await page.goto(`/bots/${botId}/config/propose`);
    await page.getByLabel("Orders per side").fill("3");
    await page.getByLabel(/Reason/).fill("deeper book for the listing");
    await page.getByLabel(/Reason/).press("Control+Enter");
    await expect(page).toHaveURL(/\/changes\/[a-z0-9]+$/);
    const requestUrl = page.url();

    // A second proposal on the same bot waits until this one is decided.
    await page.goto(`/bots/${botId}/config/propose`);
    await expect(page.getByText("has a pending request by")).toBeVisible();

    const adminPage = await pageOf(browser, admin);
    await adminPage.goto(requestUrl);
    await adminPage.getByRole("button", { name: "Reject" }).click();
    await expect(adminPage.getByText("say why the request is rejected", { exact: true })).toBeVisible();
    await adminPage.getByLabel(/Comment/).fill("three levels break the issuer's depth rule");
    await adminPage.getByRole("button", { name: "Reject" }).click();
    await expect(adminPage.getByTestId("decision")).toContainText("Rejected by");

    await page.goto("/changes?view=history");
    const row = page.getByTestId("decided-changes").getByRole("row", { name: /ETHUSDT/ });
    await expect(row).toContainText("REJECTED");
    await row.getByRole("link", { name: "ETHUSDT" }).click();
    await expect(page.getByTestId("decision")).toContainText("three levels break the issuer's depth rule");
    await page.goto(`/bots/${botId}/config`);
    await expect(page.getByText("No approved config yet")).toBeVisible();

    const viewerPage = await pageOf(browser, viewer);
    await viewerPage.goto(`/bots/${botId}/config`);
    await expect(viewerPage.getByText("No approved config yet")).toBeVisible();
    await expect(viewerPage.getByRole("link", { name: "Propose a change" })).toHaveCount(0);
    const refused = await callMutation(viewerPage, "changes.proposeConfig", {
      botId,
      baseVersion: null,
      config: { ordersPerSide: 2 },
      reason: "viewer tries",
    });
    expect(refused.status()).toBe(403);
  });

  test("a proposer withdraws their own pending request, which frees the bot for the next proposal; another team reaches neither", async ({
    page,
    browser,
    factories,
  }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, ["BNBUSDT"]);
    const trader = await factories.member(team.id, "TRADER");
    await signInViaApi(page, trader);
    const botId = await botIdOf(page, "BNBUSDT");
    await page.goto(`/bots/${botId}/config/propose`);
    await page.getByLabel("Max open orders").fill("6");
    await page.getByLabel(/Reason/).fill("fewer orders while the venue is slow");
    await page.getByRole("button", { name: "Propose against defaults" }).click();
    await expect(page).toHaveURL(/\/changes\/[a-z0-9]+$/);
    const requestId = page.url().split("/").pop()!;

    const stranger = await factories.user();
    await factories.teamWithBots(stranger.id, []);
    const strangerPage = await pageOf(browser, stranger);
    await strangerPage.goto(`/changes/${requestId}`);
    await expect(strangerPage.getByText("No such change request in this team.")).toBeVisible();
    await strangerPage.goto(`/bots/${botId}/config`);
    await expect(strangerPage.getByText("No such bot in this team.")).toBeVisible();
    expect((await callMutation(strangerPage, "changes.approve", { id: requestId })).status()).toBe(404);

    await page.getByRole("button", { name: "Cancel my request" }).click();
    await page.getByRole("button", { name: "Yes, cancel it" }).click();
    await expect(page.getByTestId("decision")).toContainText("Cancelled by its proposer");
    await page.goto(`/bots/${botId}/config`);
    await expect(page.getByRole("link", { name: "Propose a change" })).toBeVisible();
    await expect(page.getByTestId("decided-changes").getByRole("row", { name: /BNBUSDT/ })).toContainText("CANCELLED");
  });

  test("a new bot is a change request: once approved the engine starts quoting it", async ({ page, browser, factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const trader = await factories.member(team.id, "TRADER");
    // An account whose keys the simulator knows; its BTCUSDT bot is not the one under test.
    const existing = await factories.quotingBot(team.id, "BTCUSDT");

    await signInViaApi(page, trader);
    await page.goto("/changes");
    await page.getByRole("link", { name: "Propose a new bot" }).click();
    await page.getByLabel("Exchange account").selectOption(existing.exchangeAccountId);
    await page.getByLabel("Symbol").fill("btcusdt");
    await expect(page.getByText("already has a BTCUSDT bot")).toBeVisible();
    await page.getByLabel("Symbol").fill("ethusdt");
    await page.getByLabel("Once approved").selectOption("RUNNING");
    await page.getByLabel(/Reason/).fill("the issuer's ETH pair goes live");
    await page.getByRole("button", { name: "Propose the new bot" }).click();
    await expect(page).toHaveURL(/\/changes\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { name: "New bot ETHUSDT" })).toBeVisible();

    const adminPage = await pageOf(browser, owner);
    await adminPage.goto(page.url());
    await adminPage.getByRole("button", { name: "Approve: create the bot" }).click();
    await expect(adminPage.getByTestId("decision")).toContainText("Became v1");
    await expect.poll(async () => (await openOrders(existing.simulator, "ETHUSDT")).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect(adminPage.getByTestId("applied-status")).toContainText("Applied by the engine", { timeout: 20_000 });
  });
});
