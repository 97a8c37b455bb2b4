// Alerts inside the engine process: the evaluator every few seconds and the outbox delivery worker. Neither touches
// a bot's hot path; both only talk to Postgres and to receivers, with timeouts.
import { AlertEvaluator, createEmailSender, DeliveryWorker, type DeliveryTiming, type EmailSender, type SmtpSettings } from "@bandkeeper/alerts";
import type { Clock } from "@bandkeeper/core";
import type { StartupGrace } from "@bandkeeper/core/alerts";
import type { PrismaClient } from "@bandkeeper/db/client";
import type { OutboundPolicy } from "@bandkeeper/outbound";
import { type EngineEnv, outboundPolicy } from "../env";
import type { Logger } from "../observability/log";
import type { EngineMetrics } from "../observability/metrics";
import { wallClock } from "../wall-clock";

export interface AlertingOptions {
  prisma: PrismaClient;
  encryptionKey: Buffer;
  /** Null: email channels fail with a message saying SMTP is not configured. */
  smtp: SmtpSettings | null;
  webUrl: string;
  /** Which webhook addresses may be called. */
  outbound: OutboundPolicy;
  clock: Clock;
  logger: Logger;
  evaluateEveryMs: number;
  delivery?: Partial<DeliveryTiming>;
  /** How long a started bot goes unjudged (core's startup-grace.ts); null: judged from its first second. */
  startupGrace?: StartupGrace | null;
  /** Counts delivery outcomes (bandkeeper_alert_deliveries_total), when set. */
  metrics?: EngineMetrics | undefined;
}

export class Alerting {
  private readonly evaluator: AlertEvaluator;
  private readonly worker: DeliveryWorker;
  private readonly email: EmailSender;
  private timer: NodeJS.Timeout | undefined;
  private evaluating: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: AlertingOptions) {
    const logger = options.logger.child({ component: "alerts" });
    this.email = createEmailSender(options.smtp);
    this.evaluator = new AlertEvaluator({ prisma: options.prisma, logger, ...(options.startupGrace === undefined ? {} : { startupGrace: options.startupGrace }) });
    this.worker = new DeliveryWorker({
      prisma: options.prisma,
      encryptionKey: options.encryptionKey,
      email: this.email,
      outbound: options.outbound,
      webUrl: options.webUrl,
      clock: options.clock,
      logger,
      timing: options.delivery,
      onOutcome: (channelType, outcome) => options.metrics?.recordAlertDelivery(channelType, outcome),
    });
  }

  start(): void {
    this.stopped = false;
    this.worker.start();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.evaluating;
    await this.worker.stop();
    this.email.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.evaluating = this.evaluator
        .evaluate()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.error("alert evaluation failed", { error }))
        .then(() => this.schedule(this.options.evaluateEveryMs));
    }, delayMs);
  }
}

/** The alerting settings from the engine's env. */
export function alertingOptions(env: EngineEnv, deps: Pick<AlertingOptions, "prisma" | "encryptionKey" | "logger" | "metrics">): AlertingOptions {
  const secure = env.SMTP_SECURE === "true";
  const sendTimeoutMs = env.ALERT_SEND_TIMEOUT_MS;
  return {
    ...deps,
    smtp: env.SMTP_HOST === undefined ? null : { host: env.SMTP_HOST, port: env.SMTP_PORT ?? (secure ? 465 : 587), secure, user: env.SMTP_USER, password: env.SMTP_PASSWORD, from: env.ALERT_FROM },
    webUrl: env.WEB_URL,
    outbound: outboundPolicy(env),
    clock: wallClock,
    evaluateEveryMs: env.ALERT_EVALUATE_MS,
    delivery: { sendTimeoutMs, leaseMs: sendTimeoutMs * 3, retryBaseMs: env.ALERT_RETRY_BASE_MS },
    startupGrace: env.ALERT_STARTUP_GRACE_S === 0 ? null : { warmupSeconds: env.ALERT_STARTUP_GRACE_S, maxWaitSeconds: env.ALERT_STARTUP_MAX_WAIT_S },
  };
}
