// What the bot tells the KPI tracker and the audit trail, in the same terms and at the same moments: an order's
// life as the KPI definitions see it (docs/kpis.md), the reference and the targets the drift check measures
// against, config changes and breach episodes. The audit checker recomputes the KPIs from these log lines, so
// each fact goes to both or to neither.
import type { BotConfig } from "../config";
import { KpiTracker, kpiSettingsFrom, type KpiFact, type KpiFlags, type KpiMinuteBucket } from "../kpi";
import type { Decimal } from "../money";
import type { Fill, Order } from "../orders";
import type { ReferencePrice } from "../pricing";
import type { DesiredQuotes } from "../quoting";
import type { BotSink } from "./ports";

export class KpiWitness {
  private readonly kpi: KpiTracker;
  private lastTargets: { reference: Decimal | null; BUY: Decimal[]; SELL: Decimal[] } | null = null;
  /** The desired quotes last told to the KPI tracker: the same object means nothing to tell. */
  private lastNotedDesired: DesiredQuotes | null = null;
  private lastReference: ReferencePrice | null = null;

  constructor(
    botId: string,
    config: BotConfig,
    private readonly sink: BotSink,
  ) {
    this.kpi = new KpiTracker(botId, kpiSettingsFrom(config));
    this.kpi.onEpisode = ({ start, end }) => this.sink.log({ kind: "episode", time: end, start, end });
  }

  record(event: KpiFact): void {
    this.kpi.record(event);
  }

  flags(): KpiFlags {
    return this.kpi.currentFlags();
  }

  /** KPI buckets since the last call; `final` closes an episode still open (a record's end). */
  drain(now: number, final: boolean): KpiMinuteBucket[] {
    if (final) this.kpi.finish(now);
    return this.kpi.drainAll(now);
  }

  /** A new config version: what counts as valid changes from now. */
  configChanged(config: BotConfig, time: number): void {
    this.kpi.record({ type: "SETTINGS", time, settings: kpiSettingsFrom(config) });
  }

  /**
   * An order's life as the KPI definitions see it (open from the first acknowledgement, whichever way it came, to
   * the cancel ack, expiry or full fill).
   */
  orderChanged(before: Order, after: Order, time: number, fill: Fill | undefined): void {
    const id = after.clientOrderId;
    if (before.acknowledgedAt === null && after.acknowledgedAt !== null) {
      this.kpi.record({ type: "ORDER_ACKED", time, clientOrderId: id, side: after.side, price: after.price, qty: after.origQty });
      this.sink.log({ kind: "ack", time, clientOrderId: id, exchangeOrderId: after.exchangeOrderId ?? "" });
    }
    if (fill) {
      this.kpi.record({ type: "ORDER_FILLED", time, clientOrderId: id, price: fill.price, qty: fill.qty });
      this.sink.log({ kind: "fill", time, clientOrderId: id, tradeId: fill.tradeId, price: fill.price.toFixed(), qty: fill.qty.toFixed() });
    }
    if (after.status === before.status || after.acknowledgedAt === null) return;
    if (after.status === "CANCELED") {
      this.kpi.record({ type: "ORDER_CANCELED", time, clientOrderId: id });
      this.sink.log({ kind: "canceled", time, clientOrderId: id });
    } else if (after.status === "EXPIRED" || after.status === "REJECTED") {
      this.kpi.record({ type: "ORDER_EXPIRED", time, clientOrderId: id });
      this.sink.log({ kind: "expired", time, clientOrderId: id });
    }
  }

  /** R(t) and the target prices, for the KPI tracker's band and drift checks. */
  targets(desired: DesiredQuotes, time: number): void {
    if (desired === this.lastNotedDesired) return;
    this.lastNotedDesired = desired;
    const targets = {
      BUY: desired.bid.quoted ? desired.bid.levels.map((l) => l.price) : [],
      SELL: desired.ask.quoted ? desired.ask.levels.map((l) => l.price) : [],
    };
    const last = this.lastTargets;
    if (last && sameDecimal(last.reference, desired.reference) && samePrices(last.BUY, targets.BUY) && samePrices(last.SELL, targets.SELL)) return;
    this.lastTargets = { reference: desired.reference, ...targets };
    this.kpi.record({ type: "REFERENCE", time, price: desired.reference, targets });
    if (!last || !samePrices(last.BUY, targets.BUY) || !samePrices(last.SELL, targets.SELL)) {
      this.sink.log({ kind: "targets", time, BUY: targets.BUY.map((p) => p.toFixed()), SELL: targets.SELL.map((p) => p.toFixed()) });
    }
  }

  /** The reference price for the audit trail, when it changed; true when it did. */
  reference(reference: ReferencePrice, time: number): boolean {
    const last = this.lastReference;
    const same = last !== null && (reference.ok ? last.ok && last.price.eq(reference.price) : !last.ok && last.state === reference.state);
    if (same) return false;
    this.lastReference = reference;
    this.sink.log(reference.ok ? { kind: "reference", time, price: reference.price.toFixed() } : { kind: "reference", time, price: null, state: reference.state });
    return true;
  }
}

function sameDecimal(a: Decimal | null, b: Decimal | null): boolean {
  return a === null || b === null ? a === b : a.eq(b);
}

function samePrices(a: readonly Decimal[], b: readonly Decimal[]): boolean {
  return a.length === b.length && a.every((price, i) => price.eq(b[i] as Decimal));
}
