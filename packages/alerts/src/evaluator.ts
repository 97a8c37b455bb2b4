// Alert evaluation over the database: every enabled rule against each of its bots, from the KPI minute buckets
// and the bots' states, leases and the events that need a human. One pass runs in one transaction under an advisory lock, so with several
// engines exactly one evaluates at a time; the hysteresis streak lives in the open event's row, so a restart or
// another engine carries on where the last pass stopped. Notices go to the outbox in the same transaction as the
// event they announce.
import {
  ATTENTION_DEFAULT_SECONDS,
  ATTENTION_EVENT_TYPES,
  decide,
  DEFAULT_ALERT_POLICY,
  DEFAULT_STARTUP_GRACE,
  firstJudgedMinute,
  graceEndsAt,
  MARKET_DATA_STATES,
  isDueForEscalation,
  isMetricKind,
  measureAttention,
  measureCondition,
  measureKpi,
  windowStartMinute,
  type AlertDecision,
  type AlertPolicy,
  type AlertRuleSpec,
  type AttentionEvent,
  type BotObservation,
  type Measurement,
  type StartupGrace,
} from "@bandkeeper/core/alerts";
import type { KpiMinuteBucket } from "@bandkeeper/core/kpi";
import type { AlertNotice, Prisma, PrismaClient } from "@bandkeeper/db/client";
import { kpiBucketOf } from "@bandkeeper/db/kpi-buckets";
import type { AlertsLogger } from "./delivery-worker";

/** pg advisory lock key of the evaluator ("bkal"). */
const EVALUATION_LOCK = 0x626b616c;

export interface EvaluationSummary {
  /** False when another process held the lock and this pass did nothing. */
  ran: boolean;
  opened: number;
  resolved: number;
  escalated: number;
}

export interface AlertEvaluatorOptions {
  prisma: PrismaClient;
  logger: AlertsLogger;
  policy?: AlertPolicy;
  /** How long a started bot's KPIs and risk actions go unjudged (core's startup-grace.ts). */
  /** Null: no grace, every second of a run is judged. */
  startupGrace?: StartupGrace | null;
}

type Tx = Prisma.TransactionClient;

const botSelect = {
  id: true,
  teamId: true,
  symbol: true,
  desiredState: true,
  actualState: true,
  stateReason: true,
  stateChangedAt: true,
  updatedAt: true,
  lease: { select: { acquiredAt: true, expiresAt: true, engineInstance: { select: { heartbeatAt: true } } } },
} satisfies Prisma.BotSelect;
type BotRow = Prisma.BotGetPayload<{ select: typeof botSelect }>;

const ruleInclude = { channels: { include: { channel: { select: { id: true, enabled: true } } } } } satisfies Prisma.AlertRuleInclude;
type RuleRow = Prisma.AlertRuleGetPayload<{ include: typeof ruleInclude }>;

export class AlertEvaluator {
  private readonly policy: AlertPolicy;
  private readonly startupGrace: StartupGrace | null;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.policy = options.policy ?? DEFAULT_ALERT_POLICY;
    this.startupGrace = options.startupGrace === undefined ? DEFAULT_STARTUP_GRACE : options.startupGrace;
  }

  async evaluate(): Promise<EvaluationSummary> {
    const summary: EvaluationSummary = { ran: false, opened: 0, resolved: 0, escalated: 0 };
    await this.options.prisma.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean; now: Date }[]>`SELECT pg_try_advisory_xact_lock(${EVALUATION_LOCK}) AS locked, now() AS now`;
        if (!lock?.locked) return;
        summary.ran = true;
        await this.pass(tx, lock.now.getTime(), summary);
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    if (summary.opened + summary.resolved + summary.escalated > 0) this.options.logger.info("alerts evaluated", { ...summary });
    return summary;
  }

  private async pass(tx: Tx, now: number, summary: EvaluationSummary): Promise<void> {
    const rules = await tx.alertRule.findMany({ where: { enabled: true }, include: ruleInclude });
    const bots = await tx.bot.findMany({ where: { teamId: { in: [...new Set(rules.map((r) => r.teamId))] } }, select: botSelect });
    const buckets = await this.kpiBuckets(tx, rules, bots, now);
    const attention = await this.attentionEvents(tx, rules, bots, now);
    const graceEnds = await this.graceEnds(tx, rules, bots);
    const open = new Map((await tx.alertEvent.findMany({ where: { state: "OPEN" }, include: { rule: { include: ruleInclude } } })).map((e) => [e.dedupeKey, e]));
    const watched = new Set<string>();

    for (const rule of rules) {
      const spec = toSpec(rule);
      for (const bot of bots) {
        if (bot.teamId !== rule.teamId || (rule.botId !== null && rule.botId !== bot.id)) continue;
        const measurement = this.measure(spec, bot, { buckets: buckets.get(bot.id) ?? [], events: attention.get(bot.id) ?? [], graceEnd: graceEnds.get(bot.id) }, now);
        if (measurement === null) continue;
        const dedupeKey = `${rule.id}:${bot.id}`;
        watched.add(dedupeKey);
        const event = open.get(dedupeKey) ?? null;
        const decision = decide(spec, bot.symbol, measurement, event, this.policy);
        await this.apply(tx, decision, { rule, bot, dedupeKey, eventId: event?.id ?? null, now }, summary);
        if (decision.action === "resolve") open.delete(dedupeKey);
      }
    }

    // What is still open after this pass: escalate the overdue, end the ones nothing watches any more.
    for (const event of open.values()) {
      if (watched.has(event.dedupeKey)) {
        if (isDueForEscalation(toSpec(event.rule), { openedAt: event.openedAt.getTime(), acknowledgedAt: event.acknowledgedAt?.getTime() ?? null, escalatedAt: event.escalatedAt?.getTime() ?? null }, now)) {
          await tx.alertEvent.update({ where: { id: event.id }, data: { escalatedAt: new Date(now) } });
          await enqueue(tx, event.id, event.rule, "ESCALATION");
          summary.escalated += 1;
        }
        continue;
      }
      // Its rule was disabled or narrowed, or its bot no longer runs: nothing watches it, so it ends.
      const subject = event.message.split(":")[0] ?? "";
      await this.resolve(tx, event.id, event.rule, `${subject}: no longer watched (the rule was disabled or the bot stopped)`, null, now);
      summary.resolved += 1;
    }
  }

  /** The measurement of one rule on one bot, or null when the rule does not watch the bot now. */
  private measure(
    spec: AlertRuleSpec,
    bot: BotRow,
    data: { buckets: readonly KpiMinuteBucket[]; events: readonly AttentionEvent[]; graceEnd: number | undefined },
    now: number,
  ): Measurement | null {
    // A bot in its start-up grace is not judged yet; an alert already open stays as it is.
    const inGrace = data.graceEnd !== undefined && now < data.graceEnd;
    if (isMetricKind(spec.kind)) {
      // KPIs count only while the bot is asked to run; an operator's pause or stop is not a breach.
      if (bot.desiredState !== "RUNNING" || spec.windowSeconds === null) return null;
      if (inGrace) return { kind: "no-data" };
      // After the grace, the run's start-up minutes stay out of the window.
      const judgedFrom = data.graceEnd === undefined ? Number.NEGATIVE_INFINITY : firstJudgedMinute(data.graceEnd);
      const start = Math.max(windowStartMinute(now, spec.windowSeconds), judgedFrom);
      return measureKpi(spec.kind, data.buckets.filter((b) => b.minute >= start), spec.windowSeconds);
    }
    if (spec.kind === "RISK_ACTION" && inGrace) return { kind: "no-data" };
    // Whatever the bot is asked to do: a reopened order or a failed record needs a human all the same.
    if (spec.kind === "BOT_NEEDS_ATTENTION") return measureAttention(data.events, now, spec.windowSeconds);
    return measureCondition(spec.kind, observation(bot), now, spec.windowSeconds);
  }

  /**
   * When each running bot's start-up grace ends: from its lease (when an engine took it) and the first state
   * report since then that it can only make with market data. Bots without a lease have no run to grace.
   */
  private async graceEnds(tx: Tx, rules: readonly RuleRow[], bots: readonly BotRow[]): Promise<Map<string, number>> {
    const ends = new Map<string, number>();
    const grace = this.startupGrace;
    if (grace === null) return ends;
    const teams = new Set(rules.filter((r) => isMetricKind(r.kind) || r.kind === "RISK_ACTION").map((r) => r.teamId));
    const ids = bots.filter((b) => teams.has(b.teamId) && b.desiredState === "RUNNING" && b.lease !== null).map((b) => b.id);
    if (ids.length === 0) return ends;
    // One index probe per bot ("BotEvent"("botId", time)): the first matching report, not the whole run's.
    const runs = await tx.$queryRaw<{ botId: string; startedAt: Date; firstMarketDataAt: Date | null }[]>`
      SELECT l."botId", l."acquiredAt" AS "startedAt", (
        SELECT e.time FROM "BotEvent" e
        WHERE e."botId" = l."botId" AND e.type = 'state' AND e.time >= l."acquiredAt" AND e."toState"::text = ANY(${[...MARKET_DATA_STATES]})
        ORDER BY e.time LIMIT 1
      ) AS "firstMarketDataAt"
      FROM "BotLease" l WHERE l."botId" = ANY(${ids})`;
    for (const run of runs) {
      ends.set(run.botId, graceEndsAt({ startedAt: run.startedAt.getTime(), firstMarketDataAt: run.firstMarketDataAt?.getTime() ?? null }, grace));
    }
    return ends;
  }

  /** The recent BotEvent rows that need a human, per bot, over the longest window of the rules that watch them. */
  private async attentionEvents(tx: Tx, rules: readonly RuleRow[], bots: readonly BotRow[], now: number): Promise<Map<string, AttentionEvent[]>> {
    const byBot = new Map<string, AttentionEvent[]>();
    const watching = rules.filter((r) => r.kind === "BOT_NEEDS_ATTENTION");
    if (watching.length === 0) return byBot;
    const teams = new Set(watching.map((r) => r.teamId));
    const longest = Math.max(...watching.map((r) => r.windowSeconds ?? ATTENTION_DEFAULT_SECONDS));
    const rows = await tx.botEvent.findMany({
      where: { botId: { in: bots.filter((b) => teams.has(b.teamId)).map((b) => b.id) }, type: { in: [...ATTENTION_EVENT_TYPES] }, time: { gte: new Date(now - longest * 1_000) } },
      select: { botId: true, type: true, time: true, reason: true },
    });
    for (const row of rows) {
      const list = byBot.get(row.botId) ?? [];
      list.push({ type: row.type, time: row.time.getTime(), reason: row.reason });
      byBot.set(row.botId, list);
    }
    return byBot;
  }

  private async kpiBuckets(tx: Tx, rules: readonly RuleRow[], bots: readonly BotRow[], now: number): Promise<Map<string, KpiMinuteBucket[]>> {
    const byBot = new Map<string, KpiMinuteBucket[]>();
    const windows = rules.filter((r) => isMetricKind(r.kind) && r.windowSeconds !== null).map((r) => r.windowSeconds ?? 0);
    if (windows.length === 0) return byBot;
    const teams = new Set(rules.map((r) => r.teamId));
    const rows = await tx.kpiBucket.findMany({
      where: { botId: { in: bots.filter((b) => teams.has(b.teamId) && b.desiredState === "RUNNING").map((b) => b.id) }, minute: { gte: new Date(windowStartMinute(now, Math.max(...windows))) } },
    });
    for (const row of rows) {
      const list = byBot.get(row.botId) ?? [];
      list.push(kpiBucketOf(row.botId, row.minute, row));
      byBot.set(row.botId, list);
    }
    return byBot;
  }

  private async apply(
    tx: Tx,
    decision: AlertDecision,
    at: { rule: RuleRow; bot: BotRow; dedupeKey: string; eventId: string | null; now: number },
    summary: EvaluationSummary,
  ): Promise<void> {
    const { rule, bot, dedupeKey, eventId, now } = at;
    switch (decision.action) {
      case "none":
        return;
      case "open": {
        const event = await tx.alertEvent.create({
          data: { teamId: rule.teamId, ruleId: rule.id, botId: bot.id, dedupeKey, openDedupeKey: dedupeKey, message: decision.message, value: decision.value, openedAt: new Date(now), lastSeenAt: new Date(now) },
        });
        await enqueue(tx, event.id, rule, "BREACH");
        summary.opened += 1;
        return;
      }
      case "keep":
        if (eventId) await tx.alertEvent.update({ where: { id: eventId }, data: { recoveringCount: decision.recoveringCount, lastSeenAt: new Date(now), ...(decision.value === null ? {} : { value: decision.value }) } });
        return;
      case "resolve":
        if (eventId) {
          await this.resolve(tx, eventId, rule, decision.message, decision.value, now);
          summary.resolved += 1;
        }
        return;
    }
  }

  private async resolve(tx: Tx, eventId: string, rule: RuleRow, message: string, value: number | null, now: number): Promise<void> {
    // The open event's message stays the breach's; the recovery's text travels in data for the notice.
    await tx.alertEvent.update({
      where: { id: eventId },
      data: { state: "RESOLVED", openDedupeKey: null, resolvedAt: new Date(now), lastSeenAt: new Date(now), data: { recovery: message, recoveryValue: value } },
    });
    await enqueue(tx, eventId, rule, "RECOVERY");
  }
}

/** One delivery per enabled channel of the rule; the idempotency key makes a second enqueue of the same notice a no-op. */
async function enqueue(tx: Tx, eventId: string, rule: RuleRow, notice: AlertNotice): Promise<void> {
  const channels = rule.channels.filter((c) => c.channel.enabled).map((c) => c.channel.id);
  if (channels.length === 0) return;
  await tx.alertDelivery.createMany({
    data: channels.map((channelId) => ({ eventId, channelId, notice, idempotencyKey: `${eventId}:${channelId}:${notice.toLowerCase()}` })),
    skipDuplicates: true,
  });
}

function toSpec(rule: RuleRow): AlertRuleSpec {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    threshold: rule.threshold === null ? null : rule.threshold.toNumber(),
    windowSeconds: rule.windowSeconds,
    escalateAfterMinutes: rule.escalateAfterMinutes,
  };
}

function observation(bot: BotRow): BotObservation {
  return {
    desiredState: bot.desiredState,
    actualState: bot.actualState,
    stateReason: bot.stateReason,
    stateChangedAt: bot.stateChangedAt.getTime(),
    lease: bot.lease && {
      acquiredAt: bot.lease.acquiredAt.getTime(),
      expiresAt: bot.lease.expiresAt.getTime(),
      engineHeartbeatAt: bot.lease.engineInstance.heartbeatAt.getTime(),
    },
    unleasedSince: bot.updatedAt.getTime(),
  };
}
