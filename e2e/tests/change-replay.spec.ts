import { readFile } from "node:fs/promises";
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { testWithData as test } from "../support/factories";
import { callMutation } from "../support/trpc";

// A config change request replayed before anyone decides it: the stack's engine records the market tapes and
// replays the bot's config and the proposal over the pair's newest minutes (the stack sets a 3-minute window), and
// the request's page shows the two KPI reports side by side and offers the proposal's HTML report.
test("a proposed config change shows its replay, current against proposed, to the reviewer", async ({ page, factories }) => {
  // The engine polls every 3 s and replays both configs in a child process, on a machine shared with other work.
  test.setTimeout(180_000);
  const owner = await factories.user();
  const team = await factories.teamWithBots(owner.id, []);
  const trader = await factories.member(team.id, "TRADER");
  const admin = await factories.member(team.id, "ADMIN");
  const bot = await factories.quotingBot(team.id, "BTCUSDT");

  await signInViaApi(page, trader);
  const proposed = await callMutation(page, "changes.proposeConfig", {
    botId: bot.id,
    baseVersion: 1,
    config: { band: { minSpread: 0.003, maxSpread: 0.006 } },
    reason: "a wider band for the replay",
  });
  expect(proposed.status()).toBe(200);
  const requestId = ((await proposed.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;

  await page.context().clearCookies();
  await signInViaApi(page, admin);
  await page.goto(`/changes/${requestId}`);
  const replay = page.getByTestId("change-replay");
  await expect(replay).toBeVisible();
  await expect(replay).toHaveAttribute("data-status", "DONE", { timeout: 120_000 });

  const kpis = replay.getByTestId("replay-kpis");
  await expect(kpis.getByRole("columnheader")).toHaveText(["KPI", "v1", "proposed"]);
  for (const label of ["Spread compliance", "Two-sided", "Depth compliance", "Episode latency p50", "Episode latency p99", "Fills per hour", "Orders per hour"]) {
    await expect(kpis.getByRole("row", { name: new RegExp(label) })).toBeVisible();
  }
  // Both configs quoted over the recorded minutes: a share of running time and orders in each column.
  await expect(kpis.getByRole("row", { name: /Two-sided/ }).getByRole("cell")).toHaveText([/^\d+\.\d\d%$/, /^\d+\.\d\d%$/]);
  await expect(kpis.getByRole("row", { name: /Orders per hour/ }).getByRole("cell")).toHaveText([/^[1-9][\d.]*$/, /^[1-9][\d.]*$/]);
  await expect(replay).toContainText("min of recorded market data");

  const download = page.waitForEvent("download");
  await replay.getByRole("button", { name: "Download the proposal's replay report (HTML)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`replay-report-${requestId}.html`);
  const html = await readFile(await file.path(), "utf8");
  expect(html).toContain("<!doctype html>");
  expect(html).toContain("BTCUSDT, the proposed config");
});
