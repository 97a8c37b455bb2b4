// Alerts end to end: the simulator drops the engine's connections until the bot is no longer two-sided; the
// engine's evaluator raises the breach and its delivery worker sends exactly one email (to a real SMTP server) and
// one signed webhook (to a real HTTP receiver) per channel, then one recovery notice each once the bot is
// two-sided again. Then an engine process killed mid-delivery: after a restart the notice is sent again with the
// same idempotency key, and the history shows both attempts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "@bandkeeper/alerts";
import { decodeQuotedPrintable, startMailReceiver, startWebhookReceiver, type MailReceiver, type WebhookReceiver } from "@bandkeeper/alerts/testing";
import { encryptSecret } from "@bandkeeper/db/crypto";
import { Alerting } from "../../src/alerts/alerting";
import type { Supervisor } from "../../src/fleet/supervisor";
import { EngineMetrics } from "../../src/observability/metrics";
import { createLogger } from "../../src/observability/log";
import { wallClock } from "../../src/wall-clock";
import { inProcessEngine, killEngine, setConfig, spawnEngine, startWorld, twoSided, until, type EngineProcess, type World } from "./harness";

const SYMBOL = "BTCUSDT";
const SECRET = "whsec_test_secret";
let world: World;
let mail: MailReceiver;
let hook: WebhookReceiver;
let channels: { email: string; webhook: string };

beforeAll(async () => {
  world = await startWorld("bk_engine_alerts", { runningSymbols: [SYMBOL] });
  // The mid follows the market at once; a dead market-data feed pulls the quotes (onStale PULL, the default).
  await setConfig(world, SYMBOL, { reference: { method: "MID" } });
  mail = await startMailReceiver();
  hook = await startWebhookReceiver();
  const { prisma } = world.db;
  const teamId = (await prisma.bot.findUniqueOrThrow({ where: { id: world.botIds[SYMBOL]! } })).teamId;
  const email = await prisma.alertChannel.create({ data: { teamId, name: "desk mail", type: "EMAIL", config: { recipients: ["desk@example.com"] } } });
  const webhook = await prisma.alertChannel.create({
    data: { teamId, name: "desk hook", type: "WEBHOOK", config: { url: hook.url, format: "json" }, secretCiphertext: encryptSecret(SECRET, world.encryptionKey) },
  });
  channels = { email: email.id, webhook: webhook.id };
  // A ten-second window: the breach shows within seconds, and the window is clean again a minute later at most.
  await prisma.alertRule.create({
    data: {
      teamId,
      botId: world.botIds[SYMBOL]!,
      name: "BTCUSDT two-sided under 99%",
      kind: "TWO_SIDED_BELOW",
      threshold: 0.99,
      windowSeconds: 10,
      channels: { create: [{ channelId: email.id }, { channelId: webhook.id }] },
    },
  });
}, 60_000);

afterAll(async () => {
  await hook?.close();
  await mail?.close();
  await world?.close();
});

function verified(request: WebhookReceiver["requests"][number]): boolean {
  const signature = request.headers["x-bandkeeper-signature"] as string;
  const timestamp = request.headers["x-bandkeeper-timestamp"] as string;
  return verifyWebhook(SECRET, { signature, timestamp }, request.body, Math.floor(Date.now() / 1_000));
}

const noticeTypes = () => hook.requests.map((r) => (JSON.parse(r.body) as { type: string }).type);

describe("alerts from a live engine", () => {
  let engine: Supervisor;
  let alerting: Alerting;
  const metrics = new EngineMetrics();

  afterAll(async () => {
    await alerting?.stop();
    await engine?.stop();
  });

  it("a breach from a dead market-data feed sends one email and one signed webhook, and one recovery each", async () => {
    engine = inProcessEngine(world, { kpiFlushMs: 200 });
    await engine.start();
    alerting = new Alerting({
      prisma: world.db.prisma,
      encryptionKey: world.encryptionKey,
      smtp: { host: "127.0.0.1", port: mail.port, secure: false, from: "Bandkeeper <alerts@bandkeeper.test>" },
      webUrl: "http://dashboard.test",
      // The receivers listen on 127.0.0.1.
      outbound: { allowPrivateNetworks: true, requireHttps: false },
      clock: wallClock,
      logger: createLogger({ level: process.env.ENGINE_TEST_LOG === "1" ? "debug" : "error" }),
      evaluateEveryMs: 500,
      delivery: { pollMs: 100, sendTimeoutMs: 2_000, leaseMs: 6_000, retryBaseMs: 200 },
      // The breach is provoked seconds after start: no start-up grace here (packages/alerts tests the grace).
      startupGrace: null,
      metrics,
    });
    alerting.start();
    await until(() => twoSided(world, SYMBOL), 30_000, "the bot two-sided");

    // The market-data connection goes silent (no frames, no pongs): the feed turns STALE and the quotes are pulled.
    world.sim.faults.apply({ blackholeStreams: true });
    const breach = await until(() => world.db.prisma.alertEvent.findFirst({ where: { botId: world.botIds[SYMBOL]!, rule: { kind: "TWO_SIDED_BELOW" } } }).then((e) => e ?? undefined), 60_000, "the breach");
    world.sim.faults.apply({ blackholeStreams: false });
    expect(breach.message).toMatch(/^BTCUSDT: two-sided presence [\d.]+% over 10 s, below the 99% threshold$/);

    await until(() => (hook.requests.length >= 1 && mail.mails.length >= 1 ? true : undefined), 15_000, "the breach notices");
    await until(() => twoSided(world, SYMBOL), 30_000, "the bot two-sided again");
    await until(
      () => world.db.prisma.alertEvent.findFirst({ where: { id: breach.id, state: "RESOLVED" } }).then((e) => e ?? undefined),
      90_000,
      "the recovery",
    );
    await until(() => (hook.requests.length >= 2 && mail.mails.length >= 2 ? true : undefined), 15_000, "the recovery notices");
    // A few more evaluations change nothing: one notice of each kind per channel.
    const settledAt = Date.now();
    await until(() => (Date.now() - settledAt > 2_000 ? true : undefined), 5_000, "two more seconds of evaluation");

    expect(noticeTypes()).toEqual(["alert.breach", "alert.recovery"]);
    expect(hook.requests.every(verified)).toBe(true);
    expect(hook.requests.map((r) => r.headers["x-bandkeeper-idempotency-key"])).toEqual([
      `${breach.id}:${channels.webhook}:breach`,
      `${breach.id}:${channels.webhook}:recovery`,
    ]);
    const mails = mail.mails.map((m) => decodeQuotedPrintable(m.raw));
    expect(mails).toHaveLength(2);
    expect(mails[0]).toContain("Subject: [Bandkeeper] Alert: BTCUSDT BTCUSDT two-sided under 99%");
    expect(mails[1]).toContain("Subject: [Bandkeeper] Recovered: BTCUSDT BTCUSDT two-sided under 99%");
    expect(mails[0]).toContain(`http://dashboard.test/bots/${world.botIds[SYMBOL]!}`);

    // The history: each notice to each channel, delivered at its first attempt.
    const history = await world.db.prisma.alertDelivery.findMany({ where: { eventId: breach.id }, include: { attemptsLog: true } });
    expect(history.map((d) => `${d.notice} ${d.channelId === channels.email ? "email" : "webhook"} ${d.status}`).sort()).toEqual([
      "BREACH email DELIVERED",
      "BREACH webhook DELIVERED",
      "RECOVERY email DELIVERED",
      "RECOVERY webhook DELIVERED",
    ]);
    expect(history.every((d) => d.attemptsLog.length === 1 && d.attemptsLog[0]!.success)).toBe(true);
    // The same four deliveries, as Prometheus counts them.
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('bandkeeper_alert_deliveries_total{channel_type="email",outcome="delivered"} 2');
    expect(exposition).toContain('bandkeeper_alert_deliveries_total{channel_type="webhook",outcome="delivered"} 2');
    expect(exposition).not.toMatch(/outcome="(retrying|failed)"\} [1-9]/);

    await alerting.stop();
    await engine.stop();
  }, 180_000);

  it("an engine killed mid-delivery sends the notice again after a restart, with the same idempotency key", async () => {
    // Only the test notice goes out: the restarted bot's dip in presence would be a breach of its own.
    await world.db.prisma.alertRule.updateMany({ data: { enabled: false } });
    hook.requests.length = 0;
    hook.mode = "hang";
    const delivery = await world.db.prisma.alertDelivery.create({ data: { channelId: channels.webhook, notice: "TEST", idempotencyKey: `test:${channels.webhook}:restart` } });
    // The receiver listens on 127.0.0.1: the local-use setting lets the engine reach it.
    const env = { ENGINE_LEASE_TTL_MS: "2000", ALERT_SEND_TIMEOUT_MS: "2000", ALERT_EVALUATE_MS: "500", WEB_URL: "http://dashboard.test", BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "true" };
    let first: EngineProcess | undefined = spawnEngine(world, env);
    let second: EngineProcess | undefined;
    try {
      await until(() => (hook.requests.length === 1 ? true : undefined), 30_000, "the first attempt to reach the hanging receiver");
      first.child.kill("SIGKILL");
      await first.exited;
      first = undefined;
      hook.mode = "ok";
      expect(await world.db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "SENDING", attempts: 1 });

      second = spawnEngine(world, env);
      const sent = await until(
        () => world.db.prisma.alertDelivery.findFirst({ where: { id: delivery.id, status: "DELIVERED" }, include: { attemptsLog: { orderBy: { attempt: "asc" } } } }).then((d) => d ?? undefined),
        30_000,
        "the delivery after the restart",
      );
      expect(hook.requests.map((r) => r.headers["x-bandkeeper-idempotency-key"])).toEqual([delivery.idempotencyKey, delivery.idempotencyKey]);
      expect(hook.requests.map((r) => r.headers["x-bandkeeper-attempt"])).toEqual(["1", "2"]);
      expect(hook.requests.every(verified)).toBe(true);
      expect(sent.attemptsLog.map((a) => ({ attempt: a.attempt, success: a.success, error: a.error }))).toEqual([
        { attempt: 1, success: false, error: "abandoned: the sender stopped before an answer" },
        { attempt: 2, success: true, error: null },
      ]);
    } finally {
      await killEngine(first);
      await killEngine(second);
    }
  }, 90_000);
});
