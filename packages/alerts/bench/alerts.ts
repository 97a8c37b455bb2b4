/**
 * Alerts at desk scale, against a real Postgres (DATABASE_URL, default the local server): one evaluation pass over
 * 20 teams x 10 bots with the default rules and an hour of KPI minutes each (a breach on a tenth of the bots),
 * and the time to drain 500 webhook deliveries to a loopback receiver (with a hundred more to a receiver that
 * hangs). Prints one JSON object. Run: npm run bench (inside packages/alerts).
 */
import { createTestDatabase } from "@bandkeeper/db/testing";
import { createDefaultAlertRules } from "@bandkeeper/db/alert-rules";
import { AlertEvaluator, createEmailSender, DeliveryWorker } from "../src";
import { startWebhookReceiver } from "../src/testing";
import { testServerUrl } from "@bandkeeper/testkit";

const TEAMS = 20;
const BOTS_PER_TEAM = 10;
const MINUTES = 60;
const DELIVERIES = 500;
const HANGING = 100;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function main(): Promise<void> {
  const db = await createTestDatabase(testServerUrl, "bk_alerts_bench");
  const receiver = await startWebhookReceiver();
  const hanging = await startWebhookReceiver();
  hanging.mode = "hang";
  try {
    const { prisma } = db;
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const hookIds: string[] = [];
    for (let t = 0; t < TEAMS; t += 1) {
      const team = await prisma.team.create({ data: { name: `Bench ${t}`, slug: `bench-${t}` } });
      await createDefaultAlertRules(prisma, team.id);
      const account = await prisma.exchangeAccount.create({
        data: { teamId: team.id, name: "Sim", venue: "SIMULATOR", environment: "SIMULATOR", apiKeyCiphertext: "x", apiSecretCiphertext: "x", keyFingerprint: "x" },
      });
      const hook = await prisma.alertChannel.create({ data: { teamId: team.id, name: "hook", type: "WEBHOOK", config: { url: receiver.url, format: "json" } } });
      hookIds.push(hook.id);
      for (let b = 0; b < BOTS_PER_TEAM; b += 1) {
        const bot = await prisma.bot.create({ data: { teamId: team.id, exchangeAccountId: account.id, symbol: `B${t}X${b}USDT`, desiredState: "RUNNING", actualState: "QUOTING" } });
        const breached = b === 0;
        await prisma.kpiBucket.createMany({
          data: Array.from({ length: MINUTES }, (_, m) => ({
            botId: bot.id,
            minute: new Date(now - m * 60_000),
            runningMs: 60_000,
            compliantMs: 60_000,
            twoSidedMs: breached && m < 3 ? 50_000 : 60_000,
            depthMs: 60_000,
            ordersPlaced: 20,
            ordersDepthOk: 20,
          })),
        });
      }
    }
    const evaluator = new AlertEvaluator({ prisma, logger: quiet });
    const passes: number[] = [];
    let opened = 0;
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const summary = await evaluator.evaluate();
      passes.push(performance.now() - started);
      opened += summary.opened;
    }

    // Deliveries: test notices to the healthy receiver, and some to one that never answers.
    const hangingChannel = await prisma.alertChannel.create({ data: { teamId: (await prisma.team.findFirstOrThrow()).id, name: "hanging", type: "WEBHOOK", config: { url: hanging.url, format: "json" } } });
    await prisma.alertDelivery.createMany({
      data: [
        ...Array.from({ length: HANGING }, (_, i) => ({ channelId: hangingChannel.id, notice: "TEST" as const, idempotencyKey: `bench:hang:${i}` })),
        ...Array.from({ length: DELIVERIES }, (_, i) => ({ channelId: hookIds[i % hookIds.length]!, notice: "TEST" as const, idempotencyKey: `bench:${i}` })),
      ],
    });
    const worker = new DeliveryWorker({
      prisma,
      encryptionKey: Buffer.alloc(32),
      email: createEmailSender(null),
      // The receivers listen on 127.0.0.1.
      outbound: { allowPrivateNetworks: true, requireHttps: false },
      webUrl: "http://bench.local",
      clock: { now: () => Date.now() },
      logger: quiet,
      timing: { pollMs: 50, sendTimeoutMs: 2_000, leaseMs: 10_000, concurrency: 8 },
    });
    const started = performance.now();
    worker.start();
    while (receiver.requests.length < DELIVERIES) await new Promise((resolve) => setTimeout(resolve, 20));
    const drainMs = performance.now() - started;
    await worker.stop();

    const sorted = [...passes].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        evaluation: {
          bots: TEAMS * BOTS_PER_TEAM,
          rules: TEAMS * 9,
          kpiMinutes: TEAMS * BOTS_PER_TEAM * MINUTES,
          passMs: { best: round(sorted[0]!), median: round(sorted[2]!), first: round(passes[0]!) },
          alertsOpened: opened,
        },
        delivery: {
          deliveries: DELIVERIES,
          hangingReceiverDeliveries: HANGING,
          concurrency: 8,
          drainMs: round(drainMs),
          perSecond: round((DELIVERIES / drainMs) * 1_000),
        },
      }),
    );
  } finally {
    await receiver.close();
    await hanging.close();
    await db.drop();
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
