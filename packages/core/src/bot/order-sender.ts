// Every request a bot sends about its orders, and the budgets each must pass first: the exchange's order and
// request budgets (ports.budget, shared by the account's bots) and the bot's own cap on discretionary requotes.
// What could not be sent is remembered, so the bot's state can say that a side is quoted in intent only.
import type { BotConfig } from "../config";
import type { Decimal } from "../money";
import type { OrderEvent, OrderLedger } from "../orders";
import type { ReferencePrice } from "../pricing";
import { priorityOf, type OrderPriority, type RequoteAction } from "../quoting";
import { SlidingCounter } from "../risk";
import type { Side } from "../side";
import type { BotIdentity } from "./inputs";
import type { OrderResolution } from "./order-resolution";
import type { BotPorts } from "./ports";

export class OrderSender {
  /** Since when requests have been refused (one `rate_limited` event per stretch), or null. */
  rateLimitedSince: number | null = null;
  /** Why the last order that was to put a side back, or the last cancel, could not be sent (budget or exchange ban). */
  readonly refused: { place: string | null; cancel: string | null } = { place: null, cancel: null };
  /** Discretionary requotes (REQUOTE priority) sent over risk.maxOrdersPerInterval.intervalMs. */
  private requotesSent!: SlidingCounter;
  private requoteCap!: BotConfig["risk"]["maxOrdersPerInterval"];
  private band!: BotConfig["band"];

  constructor(
    private readonly identity: BotIdentity,
    private readonly ports: BotPorts,
    private readonly ledger: OrderLedger,
    private readonly resolution: OrderResolution,
    /** The bot's way of applying an event to an order (ledger, journal and KPIs together). */
    private readonly applyEvent: (clientOrderId: string, event: OrderEvent) => void,
  ) {}

  /** A new config starts a new requote window. */
  configure(config: BotConfig): void {
    this.requoteCap = config.risk.maxOrdersPerInterval;
    this.band = config.band;
    this.requotesSent = new SlidingCounter(this.requoteCap.intervalMs);
  }

  /** Sends what a planned action asks for, as far as the budgets allow; returns how many requests went out. */
  send(action: RequoteAction, reference: ReferencePrice, now: number): number {
    const priority = priorityOf(action.reason);
    switch (action.kind) {
      case "place":
        return this.place(action.side, action.price, action.qty, action.reason, priority, now) ? 1 : 0;
      case "replace":
        // The replacement goes out first on the same ordered channel, so the side is never empty on the book.
        if (this.place(action.side, action.price, action.qty, action.reason, priority, now)) return 1 + this.cancel(action.clientOrderId, action.reason, now);
        // No budget for the replacement: an order outside the band is worth nothing and goes anyway (cancels do not
        // count toward the exchange's order limits); one still inside waits for the budget.
        return this.outsideBand(action.clientOrderId, reference) ? this.cancel(action.clientOrderId, action.reason, now) : 0;
      case "cancel":
        return this.cancel(action.clientOrderId, action.reason, now);
    }
  }

  /** Places an order if the budgets allow; false when it was held back. */
  place(side: Side, price: Decimal, qty: Decimal, reason: string, priority: OrderPriority, now: number): boolean {
    // The bot's own cap on discretionary requotes; orders that restore a side are never held by it.
    const capped = priority === "REQUOTE" && this.requotesSent.count(now) >= this.requoteCap.count;
    if (capped || !this.ports.budget.tryConsume("place", now, priority)) {
      this.noteRateLimited(now, capped ? `requote cap of ${this.requoteCap.count} per ${this.requoteCap.intervalMs} ms reached` : `order budget exhausted (${priority})`);
      if (priority === "RESTORE") this.refused.place = "a side could not be put back: the order budget is spent or the exchange refuses requests (429/418)";
      return false;
    }
    this.rateLimitedSince = null;
    this.refused.place = null;
    const clientOrderId = this.ports.ids.next();
    const order = this.ledger.submit({ clientOrderId, symbol: this.identity.symbol, side, price, qty, time: now });
    if (priority === "REQUOTE") this.requotesSent.record(now);
    this.ports.sink.order(order);
    this.ports.sink.log({ kind: "place", time: now, clientOrderId, side, price: price.toFixed(), qty: qty.toFixed(), reason });
    this.ports.execution.place({ clientOrderId, symbol: this.identity.symbol, side, price, qty });
    return true;
  }

  /** Cancels a tracked order if the request budget allows; returns how many requests went out (0 or 1). */
  cancel(clientOrderId: string, reason: string, now: number): number {
    if (!this.ports.budget.tryConsume("cancel", now, "RESTORE")) {
      this.noteRateLimited(now, `request budget exhausted; cancel of ${clientOrderId} deferred`);
      this.refused.cancel = "cancels held back: the exchange refuses every request (429/418) or the request budget is spent";
      return 0;
    }
    this.refused.cancel = null;
    this.applyEvent(clientOrderId, { type: "CANCEL_REQUESTED", time: now });
    this.ports.sink.log({ kind: "cancel", time: now, clientOrderId, reason });
    this.ports.execution.cancel(this.identity.symbol, clientOrderId);
    return 1;
  }

  /**
   * Sends the cancel of a PENDING_CANCEL order again when it is due (order-resolution.ts): the exchange has the
   * order and no cancel is on its way (the last one overtook the placement and came back "unknown order"), or the
   * exchange still lists it (`stillListed`) well after a cancel that never took effect (a 5xx before execution, a
   * dropped connection). PENDING_CANCEL ends only through exchange events.
   */
  resendCancelIfDue(clientOrderId: string, now: number, stillListed = false): void {
    const order = this.ledger.get(clientOrderId);
    if (!order || !this.resolution.cancelDue(order, now, stillListed)) return;
    if (!this.ports.budget.tryConsume("cancel", now)) return;
    this.resolution.cancelSent(clientOrderId, now);
    this.ports.sink.log({ kind: "cancel", time: now, clientOrderId, reason: "RETRY" });
    this.ports.execution.cancel(this.identity.symbol, clientOrderId);
  }

  /** An order on our symbol that is not ours: cancelled blind (it has no row of ours to follow). */
  cancelOrphan(clientOrderId: string, time: number): void {
    this.ports.sink.event("orphan_cancelled", time, `order ${clientOrderId} on ${this.identity.symbol} is not ours: cancelling it`);
    this.ports.sink.log({ kind: "cancel", time, clientOrderId, reason: "ORPHAN" });
    this.ports.execution.cancel(this.identity.symbol, clientOrderId);
  }

  /** Asks the exchange about an order, at the resolution's pace (backoff per order). */
  query(clientOrderId: string, now: number): void {
    if (!this.resolution.mayQuery(clientOrderId, now)) return;
    this.resolution.querySent(clientOrderId, now);
    this.ports.execution.query(this.identity.symbol, clientOrderId);
  }

  /** Whether a working order's price lies outside [minSpread, maxSpread] around R (or there is no R). */
  private outsideBand(clientOrderId: string, reference: ReferencePrice): boolean {
    const order = this.ledger.get(clientOrderId);
    if (!order || !reference.ok) return true;
    const distance = order.price.minus(reference.price).abs().div(reference.price);
    return distance.lt(this.band.minSpread) || distance.gt(this.band.maxSpread);
  }

  /** One event per stretch of refused requests, not one per decision. */
  private noteRateLimited(now: number, reason: string): void {
    if (this.rateLimitedSince !== null) return;
    this.rateLimitedSince = now;
    this.ports.sink.event("rate_limited", now, reason);
  }
}
