// The outbox's sender: claims due deliveries from Postgres (FOR UPDATE SKIP LOCKED, so several engines share the
// work without sending one twice at the same moment), sends each within a timeout on one of a few slots, and
// records every attempt. A claim is a lease: a sender that dies mid-send leaves the row SENDING until the lease
// runs out, and the next claim sends it again with the same idempotency key (at-least-once).
import { alertChannelConfigSchema, retryDelayMs } from "@bandkeeper/core/alerts";
import { decryptSecret } from "@bandkeeper/db/crypto";
import type { PrismaClient } from "@bandkeeper/db/client";
import { createOutboundFetch, type OutboundFetch, type OutboundPolicy, type Resolve } from "@bandkeeper/outbound";
import { deliveryWithContext, noticeContent, type DeliveryWithContext } from "./notice";
import { sendWebhook, type EmailSender, type SendResult } from "./senders";

export interface DeliveryTiming {
  /** How often due deliveries are looked for. */
  pollMs: number;
  /** One attempt's limit: connect, send, answer. */
  sendTimeoutMs: number;
  /** How long a claim lasts: after this a SENDING row is sent again (its sender presumably died). */
  leaseMs: number;
  /** Sends at once; a hanging receiver holds one slot for at most sendTimeoutMs. */
  concurrency: number;
  /** Sends to one channel at once, across every worker: a receiver that hangs cannot take every slot. */
  perChannel: number;
  /** Attempts before a delivery is FAILED. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = {
  pollMs: 1_000,
  sendTimeoutMs: 10_000,
  leaseMs: 60_000,
  concurrency: 8,
  perChannel: 2,
  maxAttempts: 14,
  retryBaseMs: 5_000,
  retryMaxMs: 15 * 60_000,
};

export interface AlertsLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface DeliveryWorkerOptions {
  prisma: PrismaClient;
  /** Decrypts webhook signing secrets. */
  encryptionKey: Buffer;
  email: EmailSender;
  /** Which webhook addresses may be called (the URLs are users'): checked at every attempt, after DNS. */
  outbound: OutboundPolicy;
  /** DNS for webhook hosts; the system resolver by default. */
  resolve?: Resolve;
  /** The dashboard's address, for links in notices. */
  webUrl: string;
  clock: { now(): number };
  random?: () => number;
  logger: AlertsLogger;
  timing?: Partial<DeliveryTiming>;
  /** Each settled attempt's outcome, for the engine's metrics: delivered, retrying (failed, tried again), failed (given up). */
  onOutcome?: (channelType: string, outcome: "delivered" | "retrying" | "failed") => void;
}

interface Claim {
  id: string;
  attempts: number;
}

export class DeliveryWorker {
  private readonly timing: DeliveryTiming;
  private readonly webhookFetch: OutboundFetch;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.timing = { ...DEFAULT_DELIVERY_TIMING, ...options.timing };
    if (this.timing.leaseMs <= this.timing.sendTimeoutMs) throw new RangeError("the claim lease must outlast the send timeout");
    // A receiver's reply is read only for a chat bot's error code: 64 KiB is plenty.
    this.webhookFetch = createOutboundFetch({
      policy: options.outbound,
      maxResponseBytes: 64 * 1024,
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming and waits for the sends under way (each ends within its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all([...this.inFlight]);
  }

  /** Claims what is due and free slots allow, and starts sending it; resolves once the sends are started. */
  async poll(): Promise<number> {
    const free = this.timing.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const claims = await this.claim(free);
    if (claims.length === 0) return 0;
    const rows = await this.options.prisma.alertDelivery.findMany({ where: { id: { in: claims.map((c) => c.id) } }, include: deliveryWithContext });
    for (const claim of claims) {
      const row = rows.find((r) => r.id === claim.id);
      if (!row) continue;
      const sending = this.deliver(row, claim.attempts).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    return claims.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .catch((error: unknown) => this.options.logger.error("alert delivery poll failed", { error }))
        .then(() => this.schedule(this.timing.pollMs));
    }, delayMs);
  }

  private async claim(limit: number): Promise<Claim[]> {
    const lease = `${this.timing.leaseMs} milliseconds`;
    return this.options.prisma.$transaction(async (tx) => {
      const claims = await tx.$queryRaw<Claim[]>`
        UPDATE "AlertDelivery" d
        SET status = 'SENDING', attempts = d.attempts + 1, "nextAttemptAt" = now() + ${lease}::interval, "updatedAt" = now()
        WHERE d.id IN (
          SELECT id FROM "AlertDelivery"
          WHERE id IN (
            -- Due rows, at most perChannel per channel counting the sends under way (SENDING with a live lease).
            SELECT id FROM (
              SELECT a.id,
                row_number() OVER (PARTITION BY a."channelId" ORDER BY a."nextAttemptAt", a.id) AS rank,
                (SELECT count(*) FROM "AlertDelivery" s
                  WHERE s."channelId" = a."channelId" AND s.status = 'SENDING' AND s."nextAttemptAt" > now()) AS busy
              FROM "AlertDelivery" a
              WHERE a.status IN ('PENDING', 'SENDING') AND a."nextAttemptAt" <= now()) due
            WHERE due.rank + due.busy <= ${this.timing.perChannel})
          ORDER BY "nextAttemptAt"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.attempts`;
      if (claims.length === 0) return [];
      const ids = claims.map((c) => c.id);
      // An attempt still open here was cut short: its sender died or lost its lease.
      await tx.$executeRaw`
        UPDATE "DeliveryAttempt" SET "finishedAt" = now(), error = 'abandoned: the sender stopped before an answer'
        WHERE "deliveryId" = ANY(${ids}) AND "finishedAt" IS NULL`;
      await tx.deliveryAttempt.createMany({
        data: claims.map((c) => ({ deliveryId: c.id, attempt: c.attempts, startedAt: new Date(this.options.clock.now()), success: false })),
      });
      return claims;
    });
  }

  private async deliver(delivery: DeliveryWithContext, attempt: number): Promise<void> {
    let result: SendResult;
    try {
      result = await this.send(delivery, attempt);
    } catch (error) {
      // The detail goes to the engine's log; the history, which every member reads, keeps a fixed reason.
      this.options.logger.error("an alert delivery failed before it was sent", { delivery: delivery.id, error });
      result = { ok: false, statusCode: null, error: "the sender failed before sending (see the engine log)" };
    }
    try {
      await this.finish(delivery, attempt, result);
    } catch (error) {
      // The lease runs out and the delivery is tried again: at-least-once.
      this.options.logger.error("could not record an alert delivery attempt", { delivery: delivery.id, error });
    }
  }

  private async send(delivery: DeliveryWithContext, attempt: number): Promise<SendResult> {
    const { channel } = delivery;
    if (!channel.enabled) return { ok: false, statusCode: null, error: "the channel is disabled", permanent: true };
    const settings = alertChannelConfigSchema.safeParse({ type: channel.type, config: channel.config });
    if (!settings.success) {
      return { ok: false, statusCode: null, error: `the channel's settings are invalid: ${settings.error.issues.map((i) => i.message).join("; ")}`, permanent: true };
    }
    const content = noticeContent(delivery, this.options.webUrl);
    const timeoutMs = this.timing.sendTimeoutMs;
    if (settings.data.type === "EMAIL") return this.options.email.send(settings.data.config.recipients, content, timeoutMs);
    const secret = channel.secretCiphertext === null ? null : decryptSecret(channel.secretCiphertext, this.options.encryptionKey);
    return sendWebhook(
      { url: settings.data.config.url, format: settings.data.config.format, secret, attempt },
      content,
      timeoutMs,
      this.options.clock.now(),
      this.webhookFetch,
    );
  }

  private async finish(delivery: DeliveryWithContext, attempt: number, result: SendResult): Promise<void> {
    const { prisma, clock, logger } = this.options;
    const now = clock.now();
    const givingUp = !result.ok && (result.permanent === true || attempt >= this.timing.maxAttempts);
    const retryAt = new Date(now + retryDelayMs(attempt, this.options.random ?? Math.random, { baseMs: this.timing.retryBaseMs, maxMs: this.timing.retryMaxMs }));
    await prisma.$transaction([
      prisma.deliveryAttempt.updateMany({
        where: { deliveryId: delivery.id, attempt },
        data: { finishedAt: new Date(now), success: result.ok, statusCode: result.statusCode, error: result.error },
      }),
      // Only the claim that is still current may settle the row: a stale sender (lease lost) changes nothing.
      prisma.alertDelivery.updateMany({
        where: { id: delivery.id, attempts: attempt, status: "SENDING" },
        data: result.ok
          ? { status: "DELIVERED", deliveredAt: new Date(now), lastError: null }
          : { status: givingUp ? "FAILED" : "PENDING", nextAttemptAt: retryAt, lastError: result.error },
      }),
    ]);
    this.options.onOutcome?.(delivery.channel.type, result.ok ? "delivered" : givingUp ? "failed" : "retrying");
    const fields = { delivery: delivery.id, channel: delivery.channel.name, notice: delivery.notice, attempt, statusCode: result.statusCode };
    if (result.ok) logger.info("alert delivered", fields);
    else if (givingUp) logger.error("alert delivery failed for good", { ...fields, error: result.error });
    else logger.warn("alert delivery failed, will retry", { ...fields, error: result.error, retryAt: retryAt.toISOString() });
  }
}
