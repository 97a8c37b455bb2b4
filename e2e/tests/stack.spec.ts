import { expect } from "@playwright/test";
import { testWithData as test } from "../support/factories";
import { openOrders } from "../support/simulator";

test.describe("the stack", () => {
  test("the engine claims a test's own bot and quotes both sides on the simulator", async ({ factories }) => {
    const owner = await factories.user();
    const team = await factories.teamWithBots(owner.id, []);
    const bot = await factories.quotingBot(team.id, "ETHUSDT");

    await expect
      .poll(async () => (await openOrders(bot.simulator, bot.symbol)).map((order) => order.side).sort(), { timeout: 15_000 })
      .toEqual(["BUY", "SELL"]);
  });

  test("the dashboard answers its health probe without a session, and names nothing in it", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });
});
