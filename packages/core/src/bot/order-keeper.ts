// The bot's orders as the exchange reports them: acknowledgements, rejects, unknown outcomes, cancels, status
// answers, trades and user-data events are applied to the ledger through one path (applyEvent), which journals
// the order, tells the KPIs and the audit trail, and sends what an order's new state asks for (a query, a cancel
// again, the cancel of an order we had written off). Earlier runs' orders are adopted, strangers' cancelled.
import type { Decimal } from "../money";
import { isTerminal, type Fill, type Order, type OrderEvent, type OrderLedger, type ReportedStatus } from "../orders";
import type { ResponseGuard } from "../quoting";
import { adoptionOf } from "./adoption";
import type { BotIdentity, ExchangeOpenOrder, ExecutionUpdate } from "./inputs";
import type { KpiWitness } from "./kpi-witness";
import { reopenedReason, type OrderResolution } from "./order-resolution";
import type { OrderSender } from "./order-sender";
import type { BotPorts, OrderTradeReport } from "./ports";

/** An ack later than this after its request is a found order (a reopened or resolved one), not a round trip. */
const MAX_ROUND_TRIP_MS = 10_000;

/** What the keeper needs of its bot. */
export interface OrderKeeperHost {
  /** Stopping or stopped: unknown orders are left alone (they may be the next run's, on another engine). */
  leaving(): boolean;
  /** An order changed: a stopping bot may now be done. */
  orderChanged(): void;
}

export class OrderKeeper {
  /** API failures in a row (rejects other than post-only crossings, unknown outcomes), for risk's API health rule. */
  apiErrors = 0;
  private readonly sink: BotPorts["sink"];
  private readonly clock: BotPorts["clock"];
  private readonly execution: BotPorts["execution"];

  constructor(
    private readonly identity: BotIdentity,
    ports: BotPorts,
    private readonly ledger: OrderLedger,
    private readonly resolution: OrderResolution,
    private readonly sender: OrderSender,
    private readonly kpi: KpiWitness,
    private readonly responseGuard: ResponseGuard,
    private readonly host: OrderKeeperHost,
  ) {
    this.sink = ports.sink;
    this.clock = ports.clock;
    this.execution = ports.execution;
  }

  onPlaceAcknowledged(clientOrderId: string, exchangeOrderId: string): void {
    const time = this.clock.now();
    this.apiErrors = 0;
    this.applyEvent(clientOrderId, { type: "ACKNOWLEDGED", time, exchangeOrderId });
  }

  onPlaceRejected(clientOrderId: string, code: number | null, message: string): void {
    const time = this.clock.now();
    // A post-only order that would have taken is the market moving, not the API failing.
    if (code !== -2010) this.apiErrors += 1;
    this.sink.log({ kind: "reject", time, clientOrderId, code, message });
    this.applyEvent(clientOrderId, { type: "REJECTED", time, code, message });
  }

  /** Timeout or 5xx: the order may exist. It is resolved by a query with the same client order id. */
  onPlaceOutcomeUnknown(clientOrderId: string, message: string): void {
    const time = this.clock.now();
    this.apiErrors += 1;
    this.sink.log({ kind: "unknown", time, clientOrderId, message });
    this.applyEvent(clientOrderId, { type: "OUTCOME_UNKNOWN", time, message });
    this.sender.query(clientOrderId, time);
  }

  onCancelAcknowledged(clientOrderId: string): void {
    const time = this.clock.now();
    this.apiErrors = 0;
    this.applyEvent(clientOrderId, { type: "CANCELED", time });
  }

  onCancelRejected(clientOrderId: string, code: number | null, message: string): void {
    const time = this.clock.now();
    if (code !== -2011) this.apiErrors += 1;
    this.applyEvent(clientOrderId, { type: "CANCEL_REJECTED", time, code, message });
    // Filled or never placed: the exchange knows which.
    this.sender.query(clientOrderId, time);
  }

  /**
   * The answer to `ExecutionPort.query`: the exchange's status, or NOT_FOUND (-2013). NOT_FOUND ends an order only
   * once its placement can no longer reach the book (orders/placement-life.ts). Until then the order is asked about
   * again, and cancelled, so that it goes if it turns up while its side is quoted anew.
   */
  onOrderStatus(clientOrderId: string, status: { status: ReportedStatus; exchangeOrderId: string; executedQty?: Decimal } | "NOT_FOUND"): void {
    const time = this.clock.now();
    const queriedAt = this.resolution.answered(clientOrderId) ?? Number.NEGATIVE_INFINITY;
    if (status === "NOT_FOUND") {
      this.applyEvent(clientOrderId, { type: "NOT_FOUND", time, queriedAt });
      const order = this.ledger.get(clientOrderId);
      if (order?.status === "UNKNOWN" || order?.status === "PENDING_NEW") this.sender.cancel(clientOrderId, "NOT_FOUND_YET", time);
    } else {
      this.applyEvent(clientOrderId, { type: "STATUS_REPORTED", time, ...status });
      this.fetchTradesIfMissing(clientOrderId, status);
      if (status.status === "NEW" || status.status === "PARTIALLY_FILLED") this.sender.resendCancelIfDue(clientOrderId, time, true);
    }
  }

  /** The answer to a trades request: each trade is applied once (a trade id already applied changes nothing). */
  onOrderTrades(clientOrderId: string, trades: readonly OrderTradeReport[]): void {
    const time = this.clock.now();
    for (const trade of trades) this.applyEvent(clientOrderId, { type: "FILL", time, ...trade });
  }

  /**
   * The exchange executed more of an order than the fills we have (its trade events never reached us): its trades
   * are fetched, so the fills are accounted and the order closes on them, never on the report alone.
   */
  fetchTradesIfMissing(clientOrderId: string, report: { status: ReportedStatus; exchangeOrderId: string; executedQty?: Decimal }): void {
    const order = this.ledger.get(clientOrderId);
    if (!order) return;
    const executed = report.executedQty ?? (report.status === "FILLED" ? order.origQty : null);
    if (executed === null || !executed.gt(order.executedQty)) return;
    // Off the book already: the KPIs stop counting it as open now; its fills count when they come.
    if (report.status === "FILLED" && order.acknowledgedAt !== null) this.kpi.record({ type: "ORDER_EXPIRED", time: this.clock.now(), clientOrderId });
    this.execution.fills(this.identity.symbol, clientOrderId, report.exchangeOrderId);
  }

  /** Events from the account's user-data stream. */
  onExecutionUpdate(update: ExecutionUpdate): boolean {
    const time = this.clock.now();
    if (!this.ledger.has(update.clientOrderId)) {
      // An earlier run's placement that was still in flight is adopted; a stranger's order on our symbol is cancelled.
      if (update.type === "NEW") this.adoptOrCancel({ ...update, status: "NEW" }, time);
      return false;
    }
    switch (update.type) {
      case "NEW":
        this.applyEvent(update.clientOrderId, { type: "ACKNOWLEDGED", time, exchangeOrderId: update.exchangeOrderId });
        break;
      case "TRADE":
        this.applyEvent(update.clientOrderId, {
          type: "FILL",
          time,
          tradeId: update.tradeId,
          price: update.price,
          qty: update.qty,
          exchangeOrderId: update.exchangeOrderId,
          commission: update.commission,
          commissionAsset: update.commissionAsset,
          isMaker: update.isMaker,
        });
        break;
      case "CANCELED":
        this.applyEvent(update.clientOrderId, { type: "CANCELED", time });
        break;
      case "EXPIRED":
        this.applyEvent(update.clientOrderId, { type: "EXPIRED", time, reason: update.reason });
        break;
      case "REJECTED":
        this.applyEvent(update.clientOrderId, { type: "REJECTED", time, code: null, message: update.reason });
        break;
    }
    return true;
  }

  /**
   * Reconciliation against the exchange's open orders: ours get their reported status, unknown ones on our symbol
   * are orphans and cancelled, and ours that the exchange no longer lists are queried.
   */
  reconcile(openOnExchange: readonly ExchangeOpenOrder[]): void {
    const time = this.clock.now();
    const listed = new Set<string>();
    for (const open of openOnExchange) {
      listed.add(open.clientOrderId);
      if (this.ledger.has(open.clientOrderId)) {
        const report = { status: open.status, exchangeOrderId: open.exchangeOrderId, ...(open.executedQty ? { executedQty: open.executedQty } : {}) };
        this.applyEvent(open.clientOrderId, { type: "STATUS_REPORTED", time, ...report });
        this.fetchTradesIfMissing(open.clientOrderId, report);
        this.sender.resendCancelIfDue(open.clientOrderId, time, true);
      } else {
        this.adoptOrCancel(open, time);
      }
    }
    for (const order of this.ledger.working()) {
      const unlisted = !listed.has(order.clientOrderId) && order.acknowledgedAt !== null && time - order.acknowledgedAt > this.resolution.settings.firstQueryAfterMs;
      if (unlisted || this.resolution.queryDue(order, time)) this.sender.query(order.clientOrderId, time);
    }
  }

  /**
   * An order on our symbol this run does not know. An earlier run's (our prefix) is taken into the ledger as the
   * exchange reports it, journaled, its missing fills fetched, and cancelled on the tracked path; anything else is
   * not ours and is cancelled blind.
   */
  adoptOrCancel(sighted: ExchangeOpenOrder, time: number): void {
    // A bot on its way out leaves them alone: the account's user-data stream reaches every engine trading it, and an
    // unknown order of ours may be the next run's, on the engine this bot is being handed to.
    if (this.host.leaving()) return;
    const adoption = adoptionOf(this.identity.clientOrderIdPrefix, this.identity.symbol, sighted, time);
    if (!adoption) {
      this.sender.cancelOrphan(sighted.clientOrderId, time);
      return;
    }
    const order = this.ledger.submit(adoption.request);
    this.sink.event("order_adopted", time, `order ${order.clientOrderId} on ${this.identity.symbol} is an earlier run's: adopting and cancelling it`, {
      clientOrderId: order.clientOrderId,
      exchangeOrderId: adoption.report.exchangeOrderId,
    });
    this.applyEvent(order.clientOrderId, adoption.report);
    this.fetchTradesIfMissing(order.clientOrderId, adoption.report);
    this.sender.cancel(order.clientOrderId, "ADOPTED", time);
  }

  applyEvent(clientOrderId: string, event: OrderEvent): void {
    const before = this.ledger.get(clientOrderId);
    const result = this.ledger.apply(clientOrderId, event);
    if (!result) return;
    if (result.kind === "rejected") {
      if (result.reason !== "DUPLICATE_TRADE") {
        const detail = result.detail === undefined ? "" : ` (${result.detail})`;
        this.sink.event("order_inconsistent", event.time, `${result.reason}${detail} on ${clientOrderId} after ${event.type}: reconciling`);
        this.sender.query(clientOrderId, event.time);
      }
      return;
    }
    if (result.kind !== "applied") return;
    this.resolution.noteEvent(clientOrderId, event, result.order);
    if (before) this.noteOrderChange(before, result.order, event.time, result.fill);
    this.sink.order(result.order);
    if (result.fill) this.sink.fill(result.fill, result.order);
    if (result.reopened && before) {
      // We had written it off; the exchange says otherwise. It is accounted above; a human should know, and it goes.
      this.sink.event("order_reopened", event.time, reopenedReason(before, result.order, event), { clientOrderId, exchangeOrderId: result.order.exchangeOrderId, status: result.order.status, executedQty: result.order.executedQty.toFixed() });
      if (!isTerminal(result.order.status)) this.sender.cancel(clientOrderId, "REOPENED", event.time);
    } else {
      this.sender.resendCancelIfDue(clientOrderId, event.time);
    }
    this.host.orderChanged();
  }

  /** The round trip of a first acknowledgement feeds the response guard; the KPIs and the audit trail see the rest. */
  private noteOrderChange(before: Order, after: Order, time: number, fill: Fill | undefined): void {
    const firstAck = before.acknowledgedAt === null && after.acknowledgedAt !== null;
    if (firstAck && time - after.createdAt <= MAX_ROUND_TRIP_MS) this.responseGuard.onRoundTrip(time - after.createdAt);
    this.kpi.orderChanged(before, after, time, fill);
  }
}
