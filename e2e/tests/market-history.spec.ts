// The market chart draws on first open from the engine's market recorder: a quoting bot whose recorder has
// written its seconds, plus four minutes before this run (rows as the recorder writes them), shows the whole five
// minutes the moment the page opens, reads a recorded value under the pointer, and keeps growing live.
import { createPrismaClient } from "@bandkeeper/db/client";
import { type Page, expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { DATABASE_URL_VARIABLE } from "../support/constants";
import { testWithData as test } from "../support/factories";

const SECOND = 1_000;
const CHART = "Market and our orders (last 5 min)";

/** The number of points the chart says it draws (its image's accessible name). */
async function pointsOn(page: Page, chart: string): Promise<number> {
  const image = page.getByRole("img", { name: `${chart}: `, exact: false });
  await expect(image).toBeVisible();
  const label = (await image.getAttribute("aria-label")) ?? "";
  return Number(/: (\d+) point/.exec(label)?.[1]);
}

test("the market chart draws the recorded five minutes on first open, then grows live", async ({ page, factories }, testInfo) => {
  const owner = await factories.user({ name: "Mara Market" });
  const team = await factories.teamWithBots(owner.id, []);
  const bot = await factories.quotingBot(team.id, "BTCUSDT");
  const prisma = createPrismaClient(process.env[DATABASE_URL_VARIABLE] ?? "");
  let firstRecorded: number;
  let reference: number;
  try {
    // The engine's recorder writes the running bot's seconds: wait for a few with both of our quotes.
    const withBothQuotes = { botId: bot.id, ourBid: { not: null }, ourAsk: { not: null } };
    await expect.poll(() => prisma.botMarketSample.count({ where: withBothQuotes }), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const recorded = await prisma.botMarketSample.findMany({ where: { botId: bot.id }, orderBy: { time: "asc" } });
    firstRecorded = recorded[0]!.time.getTime();
    reference = Number((await prisma.botMarketSample.findFirstOrThrow({ where: withBothQuotes, orderBy: { time: "desc" } })).referencePrice);
    // The four minutes before this run, as the recorder would have written them: a slow wave around today's price.
    await prisma.botMarketSample.createMany({
      data: Array.from({ length: 240 }, (_, i) => {
        const r = reference * (1 + 0.0004 * Math.sin(i / 20));
        const price = (value: number) => value.toFixed(2);
        return {
          botId: bot.id,
          time: new Date(firstRecorded - (240 - i) * SECOND),
          referencePrice: price(r),
          bidBandLow: price(r * 0.996),
          bidBandHigh: price(r * 0.998),
          askBandLow: price(r * 1.002),
          askBandHigh: price(r * 1.004),
          bestBid: price(r - 0.01),
          bestAsk: price(r + 0.01),
          ourBid: price(r * 0.997),
          ourAsk: price(r * 1.003),
        };
      }),
    });
  } finally {
    await prisma.$disconnect();
  }

  await signInViaApi(page, owner);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`/bots/${bot.id}`);
  // On first open: the recorded minutes, five series a second (reference, ask, bid, our bid, our ask), not the one
  // or two snapshots the page has polled so far.
  const first = await pointsOn(page, CHART);
  expect(first).toBeGreaterThanOrEqual(240 * 5);
  const chart = page.getByRole("figure").filter({ has: page.getByRole("img", { name: `${CHART}: `, exact: false }) });
  for (const series of ["reference", "market ask", "market bid", "our bids", "our asks", "band"]) {
    await expect(chart.getByText(series, { exact: true })).toBeVisible();
  }

  // Three minutes ago only the seeded seconds exist: the crosshair reads a recorded reference there.
  const plot = page.getByRole("group", { name: new RegExp(`^${CHART.replace(/[()]/g, "\\$&")}: point at the chart`) });
  const box = await plot.boundingBox();
  if (!box) throw new Error("the chart has no box");
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  const tooltip = page.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("reference");
  const shown = Number(/reference\D*([\d,]+\.\d+)/.exec((await tooltip.textContent()) ?? "")?.[1]?.replace(/,/g, ""));
  expect(Math.abs(shown - reference) / reference).toBeLessThan(0.001);
  await page.mouse.move(0, 0);
  await page.getByRole("region", { name: "Market chart" }).screenshot({ path: testInfo.outputPath("market-chart.png") });

  // Then it keeps growing with what the page polls.
  await expect.poll(() => pointsOn(page, CHART), { timeout: 15_000 }).toBeGreaterThan(first);
});
