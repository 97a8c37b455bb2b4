// `npm run bench -w @bandkeeper/web`: the overview and bot page procedures against 100 bots with 30 days of
// minute KPI buckets (and their hour rollups) in a fresh database on the DATABASE_URL server. Seeding is SQL
// (generate_series), then each procedure is called through the tRPC caller as the browser's requests are, and its
// latency is reported as p50/p95/max in ms. Prints one JSON line; the target is p95 < 300 ms (issue 5).
// BENCH_BOTS and BENCH_DAYS shrink the data for a quick run.
import { performance } from "node:perf_hooks";
import { LATENCY_BUCKET_COUNT } from "@bandkeeper/core/kpi";
import { DEFAULT_BOT_CONFIG } from "@bandkeeper/db/seed";
import { createTestDatabase } from "@bandkeeper/db/testing";
import { createCaller } from "../src/server/routers";
import type { KpiRange } from "../src/server/kpis/windows";
import { testServerUrl } from "@bandkeeper/testkit";

const BOTS = Number(process.env.BENCH_BOTS ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const TARGET_P95_MS = 300;

function log(message: string): void {
  process.stderr.write(`web bench: ${message}\n`);
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(run: () => Promise<unknown>): Promise<{ p50: number; p95: number; max: number; n: number }> {
  await run(); // warm-up: first-call costs (connections, query plans) are not what a person waits for twice
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(percentile(times, 0.5)), p95: round(percentile(times, 0.95)), max: round(times.at(-1) ?? Number.NaN), n: times.length };
}

async function main(): Promise<void> {
  const database = await createTestDatabase(testServerUrl, "bk_web_bench");
  const prisma = database.prisma;
  try {
    const seedStarted = performance.now();
    const team = await prisma.team.create({ data: { name: "Bench Desk", slug: "bench-desk" } });
    const user = await prisma.user.create({ data: { email: "bench@bandkeeper.local", name: "Bench Owner", passwordHash: "-" } });
    await prisma.membership.create({ data: { userId: user.id, teamId: team.id, role: "OWNER" } });
    const account = await prisma.exchangeAccount.create({
      data: { teamId: team.id, name: "Bench", venue: "SIMULATOR", environment: "SIMULATOR", apiKeyCiphertext: "-", apiSecretCiphertext: "-", keyFingerprint: "-" },
    });
    // Bots, their config, market snapshot, two resting orders, a few fills and events each.
    await prisma.$executeRaw`
      INSERT INTO "Bot" (id, "teamId", "exchangeAccountId", symbol, "desiredState", "actualState", "updatedAt")
      SELECT 'bench-bot-' || lpad(i::text, 3, '0'), ${team.id}, ${account.id}, 'B' || lpad(i::text, 3, '0') || 'USDT',
        'RUNNING', 'QUOTING', now()
      FROM generate_series(1, ${BOTS}::int) AS i`;
    await prisma.$executeRaw`
      INSERT INTO "BotConfigVersion" (id, "botId", version, config, "createdAt", "appliedAt")
      SELECT 'cfg-' || id, id, 1, ${JSON.stringify(DEFAULT_BOT_CONFIG)}::jsonb, now(), now() FROM "Bot" WHERE "teamId" = ${team.id}`;
    await prisma.$executeRaw`UPDATE "Bot" SET "currentConfigVersionId" = 'cfg-' || id WHERE "teamId" = ${team.id}`;
    await prisma.$executeRaw`
      INSERT INTO "BotMarketSnapshot" ("botId", "referencePrice", "bestBid", "bestAsk", "marketTime", "updatedAt")
      SELECT id, 100, 99.99, 100.01, now(), now() FROM "Bot" WHERE "teamId" = ${team.id}`;
    await prisma.$executeRaw`
      INSERT INTO "Order" (id, "botId", "exchangeAccountId", symbol, "clientOrderId", side, price, quantity, status, "placedAt", "ackAt", "updatedAt")
      SELECT gen_random_uuid()::text, b.id, b."exchangeAccountId", b.symbol, b.id || '-' || s.side || '-' || n,
        s.side::"OrderSide", CASE s.side WHEN 'BUY' THEN 99.7 ELSE 100.3 END, 105,
        (CASE WHEN n = 1 THEN 'NEW' ELSE 'CANCELED' END)::"OrderStatus", now() - n * interval '1 minute', now(), now()
      FROM "Bot" b, (VALUES ('BUY'), ('SELL')) AS s(side), generate_series(1, 50) AS n
      WHERE b."teamId" = ${team.id}`;
    await prisma.$executeRaw`
      INSERT INTO "BotEvent" (id, "botId", time, type, "fromState", "toState", reason)
      SELECT gen_random_uuid()::text, b.id, now() - n * interval '1 hour', 'state', 'STARTING', 'QUOTING', 'two-sided'
      FROM "Bot" b, generate_series(1, 200) AS n WHERE b."teamId" = ${team.id}`;
    log(`seeded ${BOTS} bots; writing ${DAYS} days of minute buckets…`);

    // Minute buckets: a few latency histograms of full length (as the engine writes them), picked by minute.
    const histograms = [
      [0, 0, 0, 0, 0, 0, 0, 0, 2, 3],
      [0, 0, 0, 0, 0, 0, 1, 4, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      [],
    ].map((h) => [...h, ...new Array<number>(LATENCY_BUCKET_COUNT - h.length).fill(0)]);
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start = new Date(end - DAYS * 86_400_000);
    const bots = await prisma.bot.findMany({ where: { teamId: team.id }, select: { id: true }, orderBy: { id: "asc" } });
    const chunk = 10;
    for (let i = 0; i < bots.length; i += chunk) {
      const ids = bots.slice(i, i + chunk).map((bot) => bot.id);
      await prisma.$executeRaw`
        WITH hist(k, h) AS (SELECT k - 1, h FROM unnest(${histograms.map((h) => `{${h.join(",")}}`)}::text[]) WITH ORDINALITY AS t(h, k))
        INSERT INTO "KpiBucket" (id, "botId", minute, "runningMs", "compliantMs", "twoSidedMs", "depthMs", "ordersPlaced",
          "ordersDepthOk", "ordersFilled", "placedNotional", "filledNotional", "latencyCount", "latencySumMs", "latencyMaxMs",
          "latencyHistogram", "updatedAt")
        SELECT gen_random_uuid()::text, b, m, 60000, 60000 - (random() * 120)::int, 60000 - (random() * 60)::int, 60000, 4, 4,
          (random() < 0.002)::int, 42000, 0, 5, 60 + random() * 20, 12 + random() * 30, hist.h::int[], now()
        FROM unnest(${ids}::text[]) AS b,
          generate_series(${start}::timestamp, ${new Date(end)}::timestamp, interval '1 minute') AS m
          JOIN hist ON hist.k = (extract(epoch FROM m)::bigint / 60) % 4`;
      log(`minute buckets of ${Math.min(i + chunk, bots.length)}/${bots.length} bots`);
    }
    // Hour rollups as the journal keeps them: the sums of the minute rows of each hour. A whole hour holds each
    // histogram variant 15 times; summing 73-element arrays row by row in SQL would take longer than all the rest.
    const hourHistogram = histograms[0]!.map((_, i) => 15 * histograms.reduce((total, h) => total + (h[i] ?? 0), 0));
    await prisma.$executeRaw`
      INSERT INTO "KpiHourBucket" (id, "botId", hour, "runningMs", "compliantMs", "twoSidedMs", "depthMs", "ordersPlaced",
        "ordersDepthOk", "ordersFilled", "placedNotional", "filledNotional", "latencyCount", "latencySumMs", "latencyMaxMs",
        "latencyHistogram", "updatedAt")
      SELECT gen_random_uuid()::text, "botId", date_trunc('hour', minute), sum("runningMs"), sum("compliantMs"),
        sum("twoSidedMs"), sum("depthMs"), sum("ordersPlaced"), sum("ordersDepthOk"), sum("ordersFilled"),
        sum("placedNotional"), sum("filledNotional"), sum("latencyCount"), sum("latencySumMs"), max("latencyMaxMs"),
        ${hourHistogram}::int[], now()
      FROM "KpiBucket" GROUP BY "botId", date_trunc('hour', minute)`;
    await prisma.$executeRawUnsafe(`ANALYZE`);
    const minuteRows = await prisma.kpiBucket.count();
    const hourRows = await prisma.kpiHourBucket.count();
    const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
    log(`seeded ${minuteRows} minute and ${hourRows} hour rows in ${seedSeconds} s; measuring…`);

    const caller = createCaller({ db: prisma, user: { id: user.id, email: user.email, name: user.name, teamId: team.id } });
    let next = 0;
    const someBot = () => bots[(next = (next + 37) % bots.length)]!.id;
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {
      "bots.overview": await measure(() => caller.bots.overview()),
      "bots.detail": await measure(() => caller.bots.detail({ botId: someBot() })),
    };
    for (const range of ["1h", "24h", "7d", "30d"] as KpiRange[]) {
      results[`bots.kpiSeries ${range}`] = await measure(() => caller.bots.kpiSeries({ botId: someBot(), range }));
    }
    const worstP95 = Math.max(...Object.values(results).map((result) => result.p95));
    process.stdout.write(
      JSON.stringify({
        bots: BOTS,
        days: DAYS,
        minuteRows,
        hourRows,
        seedSeconds,
        latencyMs: results,
        targetP95Ms: TARGET_P95_MS,
        worstP95Ms: worstP95,
        meetsTarget: worstP95 < TARGET_P95_MS,
      }) + "\n",
    );
  } finally {
    await database.drop();
  }
}

await main();
