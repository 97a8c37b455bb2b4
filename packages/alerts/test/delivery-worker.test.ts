// The outbox sender against real receivers on loopback: a signed webhook, an email through smtp-server, retries
// with every attempt recorded, and receivers that fail, hang or refuse connections without holding up the rest.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlertNotice } from "@bandkeeper/db/client";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import type { OutboundPolicy, Resolve } from "@bandkeeper/outbound";
import { createEmailSender, DeliveryWorker, verifyWebhook, type DeliveryTiming } from "../src";
import { deliveryWithContext, noticeContent } from "../src/notice";
import { createTeamWithBot, emailChannel, ENCRYPTION_KEY, webhookChannel } from "./fixtures";
import { decodeQuotedPrintable, startMailReceiver, startWebhookReceiver, type MailReceiver, type WebhookReceiver } from "../src/testing";
import { testServerUrl, until } from "@bandkeeper/testkit";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const FAST: Partial<DeliveryTiming> = { pollMs: 50, sendTimeoutMs: 1_000, leaseMs: 3_000, retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 4 };
// The receivers listen on 127.0.0.1: the local-use setting lets the worker reach them.
const LOCAL_USE: OutboundPolicy = { allowPrivateNetworks: true, requireHttps: false };
const PRODUCTION: OutboundPolicy = { allowPrivateNetworks: false, requireHttps: true };

let db: TestDatabase;
let mail: MailReceiver;
const receivers: WebhookReceiver[] = [];
let workers: DeliveryWorker[] = [];

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_alerts_delivery");
  mail = await startMailReceiver();
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await mail?.close();
  await db?.drop();
});

function startWorker(timing: Partial<DeliveryTiming> = FAST, outbound: OutboundPolicy = LOCAL_USE, resolve?: Resolve): DeliveryWorker {
  const worker = new DeliveryWorker({
    prisma: db.prisma,
    encryptionKey: ENCRYPTION_KEY,
    email: createEmailSender({ host: "127.0.0.1", port: mail.port, secure: false, from: "Bandkeeper <alerts@bandkeeper.test>" }),
    outbound,
    ...(resolve === undefined ? {} : { resolve }),
    webUrl: "http://dashboard.test",
    clock: { now: () => Date.now() },
    logger: quiet,
    timing,
  });
  worker.start();
  workers.push(worker);
  return worker;
}

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
}

/** A breach of a two-sided rule on the team's bot, announced to `channelIds`. */
async function breach(teamId: string, botId: string, channelIds: string[], notice: AlertNotice = "BREACH") {
  const rule = await db.prisma.alertRule.create({ data: { teamId, name: "Two-sided under 99.9%", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 300 } });
  const event = await db.prisma.alertEvent.create({
    data: { teamId, ruleId: rule.id, botId, dedupeKey: `${rule.id}:${botId}`, openDedupeKey: `${rule.id}:${botId}`, message: "BTCUSDT: two-sided presence 97% over 5 min, below the 99.9% threshold", value: 0.97 },
  });
  await db.prisma.alertDelivery.createMany({ data: channelIds.map((channelId) => ({ eventId: event.id, channelId, notice, idempotencyKey: `${event.id}:${channelId}:${notice}` })) });
  return event;
}

const delivered = (id: string) => until(async () => {
  const row = await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id }, include: { attemptsLog: { orderBy: { attempt: "asc" } } } });
  return row.status === "DELIVERED" || row.status === "FAILED" ? row : undefined;
}, 15_000, `delivery ${id} to settle`);

describe("DeliveryWorker", () => {
  it("posts a signed JSON webhook and sends a readable email, each attempt recorded", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const hook = await receiver();
    const channel = await webhookChannel(db.prisma, team.id, hook.url, { secret: "s3cret" });
    const email = await emailChannel(db.prisma, team.id, ["ops@example.com", "desk@example.com"]);
    const event = await breach(team.id, bot.id, [channel.id, email.id]);
    startWorker();

    const deliveries = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    const settled = await Promise.all(deliveries.map((d) => delivered(d.id)));
    expect(settled.map((d) => d.status)).toEqual(["DELIVERED", "DELIVERED"]);
    for (const d of settled) expect(d.attemptsLog).toMatchObject([{ attempt: 1, success: true }]);

    expect(hook.requests).toHaveLength(1);
    const [request] = hook.requests;
    const timestamp = request!.headers["x-bandkeeper-timestamp"] as string;
    expect(verifyWebhook("s3cret", { signature: request!.headers["x-bandkeeper-signature"] as string, timestamp }, request!.body, Math.floor(Date.now() / 1_000))).toBe(true);
    expect(verifyWebhook("wrong", { signature: request!.headers["x-bandkeeper-signature"] as string, timestamp }, request!.body, Math.floor(Date.now() / 1_000))).toBe(false);
    expect(request!.headers["x-bandkeeper-idempotency-key"]).toBe(`${event.id}:${channel.id}:BREACH`);
    expect(JSON.parse(request!.body)).toMatchObject({ type: "alert.breach", alert: { id: event.id, value: 0.97, bot: { id: bot.id, symbol: "BTCUSDT" } }, url: `http://dashboard.test/bots/${bot.id}` });

    const received = mail.mails.find((m) => m.raw.includes(event.id));
    expect(received?.to.sort()).toEqual(["desk@example.com", "ops@example.com"]);
    const text = decodeQuotedPrintable(received!.raw);
    expect(text).toContain("Subject: [Bandkeeper] Alert: BTCUSDT Two-sided under 99.9%");
    expect(text).toContain(`href="http://dashboard.test/bots/${bot.id}"`);
    expect(text).toContain("below the 99.9% threshold");
  });

  it("signs in to the SMTP server with the configured credentials; a wrong password is a failed attempt with its reply code", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const guarded = await startMailReceiver({ login: { user: "alerts", password: "right" } });
    try {
      const channel = await emailChannel(db.prisma, team.id, ["guarded@example.com"]);
      const event = await breach(team.id, bot.id, [channel.id]);
      const [delivery] = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
      const content = noticeContent((await db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: delivery!.id }, include: deliveryWithContext })), "http://dashboard.test");
      const smtp = { host: "127.0.0.1", port: guarded.port, secure: false, from: "alerts@bandkeeper.test" };
      const wrong = createEmailSender({ ...smtp, user: "alerts", password: "wrong" });
      const right = createEmailSender({ ...smtp, user: "alerts", password: "right" });
      expect(await wrong.send(["guarded@example.com"], content, 2_000)).toMatchObject({ ok: false, statusCode: 535 });
      expect(await right.send(["guarded@example.com"], content, 2_000)).toMatchObject({ ok: true, statusCode: 250 });
      expect(guarded.mails.map((m) => m.to)).toEqual([["guarded@example.com"]]);
      wrong.close();
      right.close();
    } finally {
      await guarded.close();
    }
  });

  it("retries a receiver answering 500 with backoff until it answers 200; the history shows each attempt", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const hook = await receiver();
    hook.mode = "error";
    const channel = await webhookChannel(db.prisma, team.id, hook.url);
    const event = await breach(team.id, bot.id, [channel.id]);
    startWorker();
    await until(() => (hook.requests.length >= 2 ? true : undefined), 10_000, "two failed attempts");
    hook.mode = "ok";
    const [delivery] = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    const settled = await delivered(delivery!.id);
    expect(settled.status).toBe("DELIVERED");
    const attempts = settled.attemptsLog;
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.slice(0, -1).every((a) => !a.success && a.statusCode === 500 && a.error === "the receiver answered HTTP 500")).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ success: true, statusCode: 200 });
    // Every attempt carries the same idempotency key.
    expect(new Set(hook.requests.map((r) => r.headers["x-bandkeeper-idempotency-key"])).size).toBe(1);
  });

  it("gives up after the last attempt and marks the delivery FAILED", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const hook = await receiver();
    hook.mode = "error";
    const channel = await webhookChannel(db.prisma, team.id, hook.url);
    const event = await breach(team.id, bot.id, [channel.id]);
    startWorker({ ...FAST, maxAttempts: 2 });
    const [delivery] = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    const settled = await delivered(delivery!.id);
    expect(settled).toMatchObject({ status: "FAILED", attempts: 2, lastError: "the receiver answered HTTP 500" });
    expect(settled.attemptsLog).toHaveLength(2);
  });

  it("gives up at once on a disabled channel", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const hook = await receiver();
    const channel = await webhookChannel(db.prisma, team.id, hook.url);
    await db.prisma.alertChannel.update({ where: { id: channel.id }, data: { enabled: false } });
    const event = await breach(team.id, bot.id, [channel.id]);
    startWorker();
    const [delivery] = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    expect(await delivered(delivery!.id)).toMatchObject({ status: "FAILED", attempts: 1, lastError: "the channel is disabled" });
    expect(hook.requests).toHaveLength(0);
  });

  it("delivers to a receiver that was down once it comes back", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const down = await startWebhookReceiver();
    const { port } = down;
    await down.close();
    const channel = await webhookChannel(db.prisma, team.id, `http://127.0.0.1:${port}/hook`);
    const event = await breach(team.id, bot.id, [channel.id]);
    startWorker();
    const [delivery] = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    await until(async () => ((await db.prisma.deliveryAttempt.count({ where: { deliveryId: delivery!.id, finishedAt: { not: null } } })) >= 2 ? true : undefined), 10_000, "refused attempts");
    const back = await startWebhookReceiver(port);
    receivers.push(back);
    const settled = await delivered(delivery!.id);
    expect(settled.status).toBe("DELIVERED");
    expect(back.requests).toHaveLength(1);
    expect(settled.attemptsLog.slice(0, -1).every((a) => !a.success && a.statusCode === null && a.error === "could not reach the receiver")).toBe(true);
  });

  it("a hanging and a refusing receiver do not hold up a healthy one", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const hanging = await receiver();
    hanging.mode = "hang";
    const healthy = await receiver();
    const channels = [
      await webhookChannel(db.prisma, team.id, hanging.url, { name: "hanging" }),
      await webhookChannel(db.prisma, team.id, "http://127.0.0.1:9/refused", { name: "refusing" }),
      await webhookChannel(db.prisma, team.id, healthy.url, { name: "healthy" }),
    ];
    const event = await breach(team.id, bot.id, channels.map((c) => c.id));
    const started = Date.now();
    startWorker({ ...FAST, sendTimeoutMs: 2_000, leaseMs: 5_000 });
    await until(() => (healthy.requests.length === 1 ? true : undefined), 5_000, "the healthy receiver");
    expect(Date.now() - started).toBeLessThan(1_500);
    // The hanging one times out and is retried, shown as failing.
    const hangingDelivery = await db.prisma.alertDelivery.findFirstOrThrow({ where: { eventId: event.id, channelId: channels[0]!.id } });
    const attempt = await until(() => db.prisma.deliveryAttempt.findFirst({ where: { deliveryId: hangingDelivery.id, finishedAt: { not: null } } }).then((a) => a ?? undefined), 10_000, "the hanging attempt to time out");
    expect(attempt).toMatchObject({ success: false, error: "timed out waiting for the receiver" });
  });

  it("gives a hanging receiver at most perChannel slots, however many notices wait for it", async () => {
    const { team } = await createTeamWithBot(db.prisma);
    const hanging = await receiver();
    hanging.mode = "hang";
    const healthy = await receiver();
    const stuck = await webhookChannel(db.prisma, team.id, hanging.url, { name: "stuck" });
    const fine = await webhookChannel(db.prisma, team.id, healthy.url, { name: "fine" });
    // The hanging channel's notices are older, so they come first in line.
    for (const [channel, count] of [[stuck, 6], [fine, 6]] as const) {
      for (let i = 0; i < count; i += 1) {
        await db.prisma.alertDelivery.create({ data: { channelId: channel.id, notice: "TEST", idempotencyKey: `test:${channel.id}:${i}` } });
      }
    }
    startWorker({ ...FAST, concurrency: 3, perChannel: 2, sendTimeoutMs: 3_000, leaseMs: 9_000 });
    await until(() => (healthy.requests.length === 6 ? true : undefined), 2_500, "the healthy channel's six notices");
    expect(hanging.requests.length).toBe(2);
  });

  it("sends a TEST notice that has no event behind it", async () => {
    const { team } = await createTeamWithBot(db.prisma);
    const hook = await receiver();
    const channel = await webhookChannel(db.prisma, team.id, hook.url, { format: "slack", secret: "x" });
    const test = await db.prisma.alertDelivery.create({ data: { channelId: channel.id, notice: "TEST", idempotencyKey: `test:${channel.id}:1` } });
    startWorker();
    expect((await delivered(test.id)).status).toBe("DELIVERED");
    expect(JSON.parse(hook.requests[0]!.body)).toEqual({ text: expect.stringContaining(`Test notice: channel "${channel.name}"`) as string });
  });
});

// Issue 12: a webhook URL is a user's, so the worker may call only what the outbound policy allows, and the history
// (read by every member) keeps a status and a fixed reason, never what the receiver said.
describe("DeliveryWorker and the outbound policy", () => {
  const settledRows = async (eventId: string) => {
    const [delivery] = await db.prisma.alertDelivery.findMany({ where: { eventId } });
    return delivered(delivery!.id);
  };

  it("refuses a loopback receiver in production, for good, without sending", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const hook = await receiver();
    const channel = await webhookChannel(db.prisma, team.id, hook.url);
    const event = await breach(team.id, bot.id, [channel.id]);
    startWorker(FAST, PRODUCTION);
    const settled = await settledRows(event.id);
    expect(settled).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(settled.lastError).toMatch(/^not sent: This address is the server itself \(loopback\)/);
    expect(hook.requests).toHaveLength(0);
  });

  it("refuses a host name that resolves to the metadata service or a link-local address, even for local use", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const resolve: Resolve = (name) =>
      Promise.resolve(name === "metadata.test" ? [{ address: "169.254.169.254", family: 4 as const }] : [{ address: "fe80::1", family: 6 as const }]);
    const metadata = await webhookChannel(db.prisma, team.id, "http://metadata.test/latest/meta-data/", { name: "metadata" });
    const linkLocal = await webhookChannel(db.prisma, team.id, "http://router.test/", { name: "link-local" });
    const event = await breach(team.id, bot.id, [metadata.id, linkLocal.id]);
    startWorker(FAST, LOCAL_USE, resolve);
    const deliveries = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    const settled = await Promise.all(deliveries.map((d) => delivered(d.id)));
    const errors = new Map(settled.map((d) => [d.channelId, d.lastError]));
    expect(errors.get(metadata.id)).toBe("not sent: This address is a cloud metadata service: always refused.");
    expect(errors.get(linkLocal.id)).toBe("not sent: This address is link-local (169.254.0.0/16, fe80::/10): always refused.");
  });

  it("does not follow a redirect, and keeps no part of a receiver's body", async () => {
    const { team, bot } = await createTeamWithBot(db.prisma);
    const target = await receiver();
    const redirecting = await receiver();
    redirecting.reply = { status: 307, headers: { Location: target.url } };
    const chatty = await receiver();
    chatty.reply = { status: 500, body: "root:x:0:0:secret-page-content" };
    const wecom = await receiver();
    wecom.reply = { status: 200, headers: { "Content-Type": "application/json" }, body: '{"errcode":93000,"errmsg":"internal-detail-here"}' };
    const channels = [
      await webhookChannel(db.prisma, team.id, redirecting.url, { name: "redirecting" }),
      await webhookChannel(db.prisma, team.id, chatty.url, { name: "chatty" }),
      await webhookChannel(db.prisma, team.id, wecom.url, { name: "wecom", format: "wecom" }),
    ];
    const event = await breach(team.id, bot.id, channels.map((c) => c.id));
    startWorker({ ...FAST, maxAttempts: 1 });
    const deliveries = await db.prisma.alertDelivery.findMany({ where: { eventId: event.id } });
    const settled = await Promise.all(deliveries.map((d) => delivered(d.id)));
    const errors = new Map(settled.map((d) => [d.channelId, d.lastError]));
    expect(errors.get(channels[0]!.id)).toBe("the receiver answered HTTP 307, a redirect, which is not followed");
    expect(errors.get(channels[1]!.id)).toBe("the receiver answered HTTP 500");
    expect(errors.get(channels[2]!.id)).toBe("wecom refused the message (its reply had an error code)");
    expect(target.requests).toHaveLength(0);
    const stored = JSON.stringify(settled);
    expect(stored).not.toContain("secret-page-content");
    expect(stored).not.toContain("internal-detail-here");
    expect(stored).not.toContain("93000");
  });
});
