// KPI history that draws: a quoting bot with 30 days of hour rollups and a day of minute rows (what the engine
// writes) shows points on the 24 h, 7 d and 30 d charts, reads values under the pointer, and exports its hourly rows.
// Its screenshots of the overview and the bot page are the ones in apps/web/README.md.
import { createPrismaClient } from "@bandkeeper/db/client";
import { type Page, expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { testWithData as test } from "../support/factories";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const floor = (time: number, unit: number) => Math.floor(time / unit) * unit;

/**
 * `count` buckets of `unit` back from now, each running the whole bucket, with a two-sided book and depth held, and
 * spread compliance on a slow wave of `period` buckets around the target, so the line has a shape to see.
 */
function wholeBuckets(now: number, count: number, unit: number, period: number) {
  return Array.from({ length: count }, (_, i) => ({
    start: new Date(floor(now, unit) - i * unit),
    runningMs: unit,
    compliantMs: Math.round(unit * (0.9975 + 0.002 * Math.sin(i / period))),
    depthMs: unit,
  }));
}

/** The history before this run; the rows the engine has already written for the current minute and hour stay. */
async function seedHistory(botId: string): Promise<void> {
  const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
  const now = Date.now();
  const counts = { twoSidedMs: 0, ordersDepthOk: 0, latencyCount: 10, latencySumMs: 300, latencyMaxMs: 60, latencyHistogram: [0, 0, 10] };
  try {
    await prisma.kpiHourBucket.createMany({
      data: wholeBuckets(now, 30 * 24, HOUR, 9).map(({ start, ...bucket }, i) => ({
        ...counts,
        ...bucket,
        botId,
        hour: start,
        twoSidedMs: 3_599_000,
        ordersPlaced: 120,
        ordersDepthOk: 120,
        ordersFilled: i % 4 === 0 ? 1 : 0,
      })),
      skipDuplicates: true,
    });
    await prisma.kpiBucket.createMany({
      data: wholeBuckets(now, 24 * 60, MINUTE, 40).map(({ start, ...bucket }) => ({
        ...counts,
        ...bucket,
        botId,
        minute: start,
        twoSidedMs: 60_000,
        ordersPlaced: 2,
        ordersDepthOk: 2,
        latencyCount: 1,
        latencySumMs: 20,
        latencyMaxMs: 20,
        latencyHistogram: [0, 1],
      })),
      skipDuplicates: true,
    });
  } finally {
    await prisma.$disconnect();
  }
}

/** The number of points the chart says it draws (its image's accessible name). */
async function pointsOn(page: Page, chart: string): Promise<number> {
  const image = page.getByRole("img", { name: new RegExp(`^${chart}: \\d+ points?`) });
  await expect(image).toBeVisible();
  const label = (await image.getAttribute("aria-label")) ?? "";
  return Number(/: (\d+) point/.exec(label)?.[1]);
}

test("24 h, 7 d and 30 d charts draw the seeded history, and the hourly CSV holds its rows", async ({ page, factories }, testInfo) => {
  const owner = await factories.user({ name: "Hana History" });
  const team = await factories.teamWithBots(owner.id, []);
  // The engine quotes it on the simulator, so the page has a live market too.
  const bot = await factories.quotingBot(team.id, "BTCUSDT");
  await seedHistory(bot.id);
  await signInViaApi(page, owner);
  await page.setViewportSize({ width: 1400, height: 1000 });

  await page.goto(`/bots/${bot.id}`);
  const ranges = page.getByRole("group", { name: "KPI range" });
  await expect(ranges).toBeVisible();
  // 1 h: a point per minute, none missing (the engine's current minute may have no response measured yet).
  expect(await pointsOn(page, "Spread compliance")).toBe(60);
  expect(await pointsOn(page, "Latency p99")).toBeGreaterThanOrEqual(59);

  await ranges.getByRole("button", { name: "24h" }).click();
  await expect.poll(() => pointsOn(page, "Spread compliance")).toBeGreaterThanOrEqual(96);
  await page.getByRole("heading", { name: "KPIs", exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("kpi-24h.png"), fullPage: true });

  await ranges.getByRole("button", { name: "7d" }).click();
  await expect.poll(() => pointsOn(page, "Spread compliance")).toBe(7 * 24);
  expect(await pointsOn(page, "Two-sided")).toBe(7 * 24);

  await ranges.getByRole("button", { name: "30d" }).click();
  await expect.poll(() => pointsOn(page, "Spread compliance")).toBeGreaterThanOrEqual(120);

  // The crosshair: pointing at the chart shows the time and value under the pointer.
  const plot = page.getByRole("group", { name: /^Spread compliance: point at the chart/ });
  const box = await plot.boundingBox();
  if (!box) throw new Error("the chart has no box");
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
  const tooltip = page.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(/\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(tooltip).toContainText(/99\.\d{3}%/);
  await page.screenshot({ path: testInfo.outputPath("kpi-30d-crosshair.png"), fullPage: true });
  // The arrow keys move it from point to point.
  await plot.focus();
  await page.keyboard.press("End");
  await expect(tooltip).toBeVisible();

  // The hourly export of the last 7 days holds a row per seeded hour.
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const csv = await page.request.get(`/api/bots/${bot.id}/kpis?from=${weekAgo}&to=${today}&resolution=hour`);
  expect(csv.ok()).toBe(true);
  const lines = (await csv.text()).trimEnd().split("\r\n");
  const hoursSinceWeekAgo = Math.floor((floor(Date.now(), HOUR) - Date.parse(`${weekAgo}T00:00:00Z`)) / HOUR) + 1;
  expect(lines).toHaveLength(hoursSinceWeekAgo + 2);
  expect(lines[1]).toMatch(new RegExp(`^${weekAgo}T00:00:00.000Z,3600000,`));

  // The README's screenshots: the overview and the bot page of a bot that quotes, with its history.
  await page.goto("/");
  await expect(page.getByRole("article", { name: /^BTCUSDT on / }).getByText("QUOTING", { exact: true })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath("overview.png") });
  await page.goto(`/bots/${bot.id}`);
  await page.getByRole("group", { name: "KPI range" }).getByRole("button", { name: "24h" }).click();
  await expect.poll(() => pointsOn(page, "Spread compliance")).toBeGreaterThanOrEqual(96);
  await page.screenshot({ path: testInfo.outputPath("bot-page.png"), fullPage: true });
});
