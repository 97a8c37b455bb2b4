// One bot: keeps a bid and an ask inside the band around the reference price of one symbol on one account.
// The fixed command path on every market event: reference price -> risk -> quote policy -> requote plan ->
// order budget -> execution. Order state changes only through exchange events applied to the ledger. The bot never
// reads a clock or starts a timer itself: the host calls `tick()` and delivers events, so replay is deterministic.
import type { BotConfig } from "../config";
import { KpiTracker, kpiSettingsFrom, type KpiFlags, type KpiMinuteBucket } from "../kpi";
import { Decimal, type Instrument } from "../money";
import { OrderLedger, isTerminal, type Fill, type Order, type OrderEvent, type ReportedStatus } from "../orders";
import type { BookDepth, BookTop, FeedStatus, MarketTrade, ReferencePrice } from "../pricing";
import type { Side } from "../side";
import {
  type OrderPriority,
  type QuotePolicy,
  ResponseGuard,
  planPeriodicRefresh,
  planRequotes,
  priorityOf,
  type DesiredQuotes,
  type RequoteAction,
} from "../quoting";
import { PriceMoveWindow, SlidingCounter, evaluateRisk, riskDecision, type RiskSnapshot } from "../risk";
import { adoptionOf, type SightedOrder } from "./adoption";
import { OrderResolution, reopenedReason } from "./order-resolution";
import { StateReporter } from "./state-reports";
import type { BotPorts, BotState, ExecutionReplies, OrderTradeReport } from "./ports";
import { marketViewSettings, privateViews, type SymbolMarket } from "./symbol-market";

export interface BotIdentity {
  readonly botId: string;
  readonly symbol: string;
  /** What every client order id of every run of this bot starts with: an earlier run's order is ours (adoption.ts). */
  readonly clientOrderIdPrefix?: string;
}

/** An order the exchange reports as open (open-orders query), for reconciliation. */
export interface ExchangeOpenOrder {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly status: ReportedStatus;
  /** What the exchange has executed of it, when the listing says (a partly filled order we lack fills of). */
  readonly executedQty?: Decimal;
  /** The order's terms, so that an earlier run's order can be adopted (adoption.ts). */
  readonly side?: Side;
  readonly price?: Decimal;
  readonly origQty?: Decimal;
}

/** The part of an executionReport the bot acts on. */
export type ExecutionUpdate =
  | {
      readonly type: "NEW";
      readonly clientOrderId: string;
      readonly exchangeOrderId: string;
      /** The order's terms, so that an earlier run's order can be adopted (adoption.ts). */
      readonly side?: Side;
      readonly price?: Decimal;
      readonly origQty?: Decimal;
    }
  | {
      readonly type: "TRADE";
      readonly clientOrderId: string;
      readonly exchangeOrderId: string;
      readonly tradeId: string;
      readonly price: Decimal;
      readonly qty: Decimal;
      readonly commission: Decimal;
      readonly commissionAsset: string;
      readonly isMaker: boolean;
    }
  | { readonly type: "CANCELED"; readonly clientOrderId: string }
  | { readonly type: "EXPIRED"; readonly clientOrderId: string; readonly reason: string }
  | { readonly type: "REJECTED"; readonly clientOrderId: string; readonly reason: string };

/** An ack later than this after its request is a found order (a reopened or resolved one), not a round trip. */
const MAX_ROUND_TRIP_MS = 10_000;
/** How often a quiet bot (no pending order, no breach, nothing refused) needs a tick. */
const IDLE_TICK_MS = 1_000;
/** Terminal orders are kept this long for late events, then dropped from memory. */
const KEEP_CLOSED_MS = 60_000;

export class Bot implements ExecutionReplies {
  private config!: BotConfig;
  private instrument!: Instrument;
  private policy!: QuotePolicy;
  private market!: SymbolMarket;
  private marketSettingsKey = "";
  /** minNotional x (1 + notionalMargin): what one order is worth. */
  private orderNotional!: Decimal;
  /** The base quantity an ask needs, for the reference it was computed at. */
  private baseNeeded: { reference: Decimal; qty: Decimal } | null = null;
  private priceMoves!: PriceMoveWindow;
  /** Discretionary requotes (REQUOTE priority) sent over risk.maxOrdersPerInterval.intervalMs. */
  private requotesSent!: SlidingCounter;
  private rateLimitedSince: number | null = null;
  /** Why the last order that was to put a side back, or the last cancel, could not be sent (budget or exchange ban). */
  private readonly refused: { place: string | null; cancel: string | null } = { place: null, cancel: null };
  /** How far R may move during one response; the planner requotes that much earlier. */
  private readonly responseGuard = new ResponseGuard();
  private readonly ledger = new OrderLedger();
  private kpi!: KpiTracker;
  private lastTargets: { reference: Decimal | null; BUY: Decimal[]; SELL: Decimal[] } | null = null;
  /** The desired quotes last told to the KPI tracker, and the last plan with the ledger it was made against. */
  private lastNotedDesired: DesiredQuotes | null = null;
  private lastPlan: { desired: DesiredQuotes; ledgerVersion: number; guard: number; actions: readonly RequoteAction[] } | null = null;

  private state: BotState = "STOPPED";
  private stateReason: string | null = null;
  private lastMarketDataAt: number | null = null;
  private lastReference: ReferencePrice | null = null;
  private lastPeriodicRefreshAt: number | null = null;
  private consecutiveApiErrors = 0;
  private startBalances: { base: Decimal; quote: Decimal } | null = null;
  /** Queries and cancels of orders whose fate is not known yet (order-resolution.ts). */
  private readonly resolution = new OrderResolution();
  /** What the bot reports of its state: changes that held, not samples (state-reports.ts). */
  private readonly stateReports = new StateReporter((from, to, reason, time) => {
    this.ports.sink.state(from, to, reason, time);
    this.ports.sink.log({ kind: "state", time, from, to, reason });
  });
  private stoppedListeners: (() => void)[] = [];
  private feedStatus: FeedStatus | null = null;
  private lastDepth: BookDepth | null = null;

  constructor(
    readonly identity: BotIdentity,
    private readonly ports: BotPorts,
    config: BotConfig,
    instrument: Instrument,
  ) {
    this.configure(config, instrument);
  }

  get currentState(): { state: BotState; reason: string | null } {
    return { state: this.state, reason: this.stateReason };
  }

  /** The KPI flags right now (running, compliant, two-sided, depth), for gauges. */
  kpiFlags(): KpiFlags {
    return this.kpi.currentFlags();
  }

  /**
   * KPI milliseconds and counts gathered since the last call, per minute, the current partial minute included.
   * Buckets of the same minute from successive calls add up (the journal sums them).
   */
  takeKpis(options: { final?: boolean } = {}): KpiMinuteBucket[] {
    const now = this.ports.clock.now();
    // The end of a record (a replay's end, a bot taken away): an episode still open counts as it stands.
    if (options.final) this.kpi.finish(now);
    return this.kpi.drainAll(now);
  }

  /** Orders the exchange may hold for this bot (for shutdown and the dashboard). */
  workingOrders(): readonly Order[] {
    return this.ledger.working();
  }

  /** Starts quoting after reconciling: whatever the exchange holds for this symbol and we do not know is cancelled. */
  start(openOnExchange: readonly ExchangeOpenOrder[]): void {
    const now = this.ports.clock.now();
    this.transition("STARTING", "reconciling with the exchange", now);
    this.reconcile(openOnExchange);
    this.transition("HALTED", "waiting for market data", now);
    this.evaluate();
  }

  /** Applies a new config version live; quotes move on the next evaluation. */
  applyConfig(config: BotConfig, instrument: Instrument = this.instrument): void {
    this.configure(config, instrument);
    this.ports.sink.log({ kind: "config", time: this.ports.clock.now(), config });
    this.ports.sink.event("config_applied", this.ports.clock.now(), "new config version in force");
    this.evaluate();
  }

  /** Operator pause: quotes pulled, and the time does not count as running time. */
  pause(reason: string): void {
    if (this.state === "STOPPED" || this.state === "STOPPING" || this.state === "FAULTED") return;
    this.cancelAll(reason);
    this.transition("PAUSED", reason, this.ports.clock.now());
  }

  resume(): void {
    if (this.state !== "PAUSED") return;
    this.transition("HALTED", "resuming", this.ports.clock.now());
    this.evaluate();
  }

  /** Cancels every working order; the bot is STOPPED once none is left. */
  stop(reason: string): void {
    if (this.state === "STOPPED") return;
    this.cancelAll(reason);
    this.transition("STOPPING", reason, this.ports.clock.now());
    this.finishStopIfDone();
  }

  onStopped(listener: () => void): void {
    if (this.state === "STOPPED") listener();
    else this.stoppedListeners.push(listener);
  }

  // ---- market data ------------------------------------------------------------------------------------------

  onTrade(trade: MarketTrade): void {
    this.lastMarketDataAt = trade.time;
    this.market.onTrade(trade);
    if (this.ports.sink.auditing) this.ports.sink.log({ kind: "market", time: trade.time, event: "trade", price: trade.price.toFixed() });
    this.evaluate(trade.time);
  }

  onBookTop(top: BookTop): void {
    this.lastMarketDataAt = top.time;
    const pricesMoved = this.market.onBookTop(top);
    if (this.ports.sink.auditing) {
      this.ports.sink.log({ kind: "market", time: top.time, event: "book", bid: top.bidPrice.toFixed(), ask: top.askPrice.toFixed() });
    }
    // Most book updates change only quantities. Unless the reference reads them (microprice), nothing the decision
    // depends on moved: the event still counts for the KPIs, but the quotes stand as they are.
    if (!pricesMoved && this.config.reference.method !== "MICROPRICE") {
      this.kpi.record({ type: "MARKET_EVENT", time: top.time });
      return;
    }
    this.evaluate(top.time);
  }

  /** The best levels of the local order book (the engine's depth book); the book top still arrives by onBookTop. */
  onBookDepth(depth: BookDepth): void {
    this.lastDepth = depth;
  }

  /** The host's judgement of the market-data connection (see FeedStatus): a quiet market on a live feed is fine. */
  onFeedStatus(status: FeedStatus): void {
    this.feedStatus = status;
    this.evaluate();
  }

  /**
   * When the host should call tick() next, at the latest: a replay on a simulated clock skips the ticks in
   * between, so a long quiet tape costs what its events cost. A live host may tick more often.
   */
  nextTickAt(now: number, tickMs: number): number {
    if (this.config.requoteMode === "periodic" || this.rateLimitedSince !== null || this.kpi.currentFlags().breach) return now + tickMs;
    for (const order of this.ledger.working()) {
      if (order.status !== "NEW" && order.status !== "PARTIALLY_FILLED") return now + tickMs;
    }
    // Quiet: only slow things remain (the trades' weight ageing, windows expiring), so a tick a second will do.
    return now + Math.max(tickMs, IDLE_TICK_MS);
  }

  // ---- execution outcomes -------------------------------------------------------------------------------------

  onPlaceAcknowledged(clientOrderId: string, exchangeOrderId: string): void {
    const time = this.ports.clock.now();
    this.consecutiveApiErrors = 0;
    this.applyEvent(clientOrderId, { type: "ACKNOWLEDGED", time, exchangeOrderId });
  }

  onPlaceRejected(clientOrderId: string, code: number | null, message: string): void {
    const time = this.ports.clock.now();
    // A post-only order that would have taken is the market moving, not the API failing.
    if (code !== -2010) this.consecutiveApiErrors += 1;
    this.ports.sink.log({ kind: "reject", time, clientOrderId, code, message });
    this.applyEvent(clientOrderId, { type: "REJECTED", time, code, message });
    this.evaluate();
  }

  /** Timeout or 5xx: the order may exist. It is resolved by a query with the same client order id. */
  onPlaceOutcomeUnknown(clientOrderId: string, message: string): void {
    const time = this.ports.clock.now();
    this.consecutiveApiErrors += 1;
    this.ports.sink.log({ kind: "unknown", time, clientOrderId, message });
    this.applyEvent(clientOrderId, { type: "OUTCOME_UNKNOWN", time, message });
    this.queryOrder(clientOrderId, time);
  }

  onCancelAcknowledged(clientOrderId: string): void {
    const time = this.ports.clock.now();
    this.consecutiveApiErrors = 0;
    this.applyEvent(clientOrderId, { type: "CANCELED", time });
  }

  onCancelRejected(clientOrderId: string, code: number | null, message: string): void {
    const time = this.ports.clock.now();
    if (code !== -2011) this.consecutiveApiErrors += 1;
    this.applyEvent(clientOrderId, { type: "CANCEL_REJECTED", time, code, message });
    // Filled or never placed: the exchange knows which.
    this.queryOrder(clientOrderId, time);
  }

  /**
   * The answer to `ExecutionPort.query`: the exchange's status, or NOT_FOUND (-2013). NOT_FOUND ends an order only
   * once its placement can no longer reach the book (orders/placement-life.ts). Until then the order is asked about
   * again, and cancelled, so that it goes if it turns up while its side is quoted anew.
   */
  onOrderStatus(clientOrderId: string, status: { status: ReportedStatus; exchangeOrderId: string; executedQty?: Decimal } | "NOT_FOUND"): void {
    const time = this.ports.clock.now();
    const queriedAt = this.resolution.answered(clientOrderId) ?? Number.NEGATIVE_INFINITY;
    if (status === "NOT_FOUND") {
      this.applyEvent(clientOrderId, { type: "NOT_FOUND", time, queriedAt });
      const order = this.ledger.get(clientOrderId);
      if (order?.status === "UNKNOWN" || order?.status === "PENDING_NEW") this.cancel(clientOrderId, "NOT_FOUND_YET", time);
    } else {
      this.applyEvent(clientOrderId, { type: "STATUS_REPORTED", time, ...status });
      this.fetchTradesIfMissing(clientOrderId, status);
      if (status.status === "NEW" || status.status === "PARTIALLY_FILLED") this.resendCancelIfDue(clientOrderId, time, true);
    }
    this.evaluate();
  }

  /** The answer to a trades request: each trade is applied once (a trade id already applied changes nothing). */
  onOrderTrades(clientOrderId: string, trades: readonly OrderTradeReport[]): void {
    const time = this.ports.clock.now();
    for (const trade of trades) this.applyEvent(clientOrderId, { type: "FILL", time, ...trade });
    this.evaluate();
  }

  /**
   * The exchange executed more of an order than the fills we have (its trade events never reached us): its trades
   * are fetched, so the fills are accounted and the order closes on them, never on the report alone.
   */
  private fetchTradesIfMissing(clientOrderId: string, report: { status: ReportedStatus; exchangeOrderId: string; executedQty?: Decimal }): void {
    const order = this.ledger.get(clientOrderId);
    if (!order) return;
    const executed = report.executedQty ?? (report.status === "FILLED" ? order.origQty : null);
    if (executed === null || !executed.gt(order.executedQty)) return;
    // Off the book already: the KPIs stop counting it as open now; its fills count when they come.
    if (report.status === "FILLED" && order.acknowledgedAt !== null) this.kpi.record({ type: "ORDER_EXPIRED", time: this.ports.clock.now(), clientOrderId });
    this.ports.execution.fills(this.identity.symbol, clientOrderId, report.exchangeOrderId);
  }

  /** Events from the account's user-data stream. */
  onExecutionUpdate(update: ExecutionUpdate): void {
    const time = this.ports.clock.now();
    if (!this.ledger.has(update.clientOrderId)) {
      // An earlier run's placement that was still in flight is adopted; a stranger's order on our symbol is cancelled.
      if (update.type === "NEW") this.adoptOrCancel({ ...update, status: "NEW" }, time);
      return;
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
    this.evaluate();
  }

  /**
   * Reconciliation against the exchange's open orders: ours get their reported status, unknown ones on our symbol
   * are orphans and cancelled, and ours that the exchange no longer lists are queried.
   */
  reconcile(openOnExchange: readonly ExchangeOpenOrder[]): void {
    const time = this.ports.clock.now();
    const listed = new Set<string>();
    for (const open of openOnExchange) {
      listed.add(open.clientOrderId);
      if (this.ledger.has(open.clientOrderId)) {
        const report = { status: open.status, exchangeOrderId: open.exchangeOrderId, ...(open.executedQty ? { executedQty: open.executedQty } : {}) };
        this.applyEvent(open.clientOrderId, { type: "STATUS_REPORTED", time, ...report });
        this.fetchTradesIfMissing(open.clientOrderId, report);
        this.resendCancelIfDue(open.clientOrderId, time, true);
      } else {
        this.adoptOrCancel(open, time);
      }
    }
    for (const order of this.ledger.working()) {
      const unlisted = !listed.has(order.clientOrderId) && order.acknowledgedAt !== null && time - order.acknowledgedAt > this.resolution.settings.firstQueryAfterMs;
      if (unlisted || this.resolution.queryDue(order, time)) this.queryOrder(order.clientOrderId, time);
    }
  }

  /**
   * Called by the host every ~100 ms: staleness, periodic refresh, overdue queries, memory. `marketTime` is when to
   * read the market (default now): a fleet ticks its bots with one time, so bots sharing a market view share its
   * snapshot instead of each computing one for its own instant.
   */
  tick(marketTime?: number): void {
    const now = this.ports.clock.now();
    for (const order of this.ledger.working()) {
      this.resendCancelIfDue(order.clientOrderId, now);
      if (this.resolution.queryDue(order, now)) this.queryOrder(order.clientOrderId, now);
    }
    this.ledger.prune(now - KEEP_CLOSED_MS);
    // Stopping: a cancel the budget held back (the exchange refusing every request until its Retry-After) goes out
    // as soon as it may, so the stop ends with nothing resting.
    if (this.state === "STOPPING") this.cancelAll(this.stateReason ?? "stopping");
    this.evaluate(undefined, marketTime, true);
    this.stateReports.flush(this.ports.clock.now());
  }

  // ---- the decision -------------------------------------------------------------------------------------------

  /**
   * `marketEventAt`: the local receive time of the market event that prompted this decision, if one did.
   * `marketTime`: when to read the market otherwise (default now).
   */
  private evaluate(marketEventAt?: number, marketTime?: number, onTick = false): void {
    if (this.state !== "QUOTING" && this.state !== "DEGRADED" && this.state !== "HALTED") return;
    const startedAt = this.ports.clock.now();
    const now = startedAt;
    // The market as of the event that prompted the decision: every bot reading this view gets the same snapshot.
    const market = this.market.snapshot(marketEventAt ?? marketTime ?? now);
    const reference = market.reference;
    this.noteReference(reference, now);
    if (reference.ok) this.priceMoves.record(now, reference.price);

    const risk = riskDecision(evaluateRisk(this.riskSnapshot(reference, now), this.config.risk), this.config.band);
    if (risk.emergencyStop) {
      this.ports.sink.event("emergency_stop", now, "risk asked for an emergency stop", { warnings: risk.warnings.map((w) => w.reason) });
      this.stop("emergency stop by risk");
      return;
    }
    const desired = this.policy.desiredQuotes({
      reference,
      book: this.market.book,
      volatility: market.volatility,
      sweep: market.sweep,
      activity: market.activity,
      guard: this.guardAt(now),
      restrictions: risk.restrictions,
    });
    this.noteTargets(desired, now);
    if (marketEventAt !== undefined) this.kpi.record({ type: "MARKET_EVENT", time: marketEventAt });
    const actions = this.plan(desired, now, onTick);
    let requests = 0;
    for (const action of actions) requests += this.execute(action, reference, now);
    this.updateQuotingState(desired, (risk.restrictions.extraWiden ?? 0) > 0, now);
    this.ports.sink.decision?.({ receivedAt: marketEventAt, startedAt, finishedAt: this.ports.clock.now(), requests });
  }

  private plan(desired: DesiredQuotes, now: number, onTick: boolean): readonly RequoteAction[] {
    if (this.config.requoteMode === "event") {
      // The plan is a function of the desired quotes and the working orders: when neither changed, neither did it.
      const guard = this.guardAt(now);
      const last = this.lastPlan;
      if (last && last.desired === desired && last.ledgerVersion === this.ledger.version && last.guard === guard) return last.actions;
      const actions = planRequotes(desired, this.ledger.workingViews(), this.config, guard);
      this.lastPlan = { desired, ledgerVersion: this.ledger.version, guard, actions };
      return actions;
    }
    // The periodic loop acts on its clock's ticks only, whatever the market does in between.
    if (!onTick) return [];
    const plan = planPeriodicRefresh(desired, this.ledger.workingViews(), now, this.lastPeriodicRefreshAt, this.config.refreshMs);
    if (plan.placing) this.lastPeriodicRefreshAt = now;
    return plan.actions;
  }

  /** Sends what an action asks for, as far as the budgets allow; returns how many requests went out. */
  /** The response guard in steps of a twentieth of the drift threshold, so a plan is reused while it stands. */
  private guardAt(now: number): number {
    const step = this.config.hysteresis.driftThreshold / 20;
    return Math.floor(this.responseGuard.guard(now) / step) * step;
  }

  private execute(action: RequoteAction, reference: ReferencePrice, now: number): number {
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

  /** Whether a working order's price lies outside [minSpread, maxSpread] around R (or there is no R). */
  private outsideBand(clientOrderId: string, reference: ReferencePrice): boolean {
    const order = this.ledger.get(clientOrderId);
    if (!order || !reference.ok) return true;
    const distance = order.price.minus(reference.price).abs().div(reference.price);
    return distance.lt(this.config.band.minSpread) || distance.gt(this.config.band.maxSpread);
  }

  private place(side: RequoteAction["side"], price: Decimal, qty: Decimal, reason: string, priority: OrderPriority, now: number): boolean {
    // The bot's own cap on discretionary requotes; orders that restore a side are never held by it.
    const capped = priority === "REQUOTE" && this.requotesSent.count(now) >= this.config.risk.maxOrdersPerInterval.count;
    if (capped || !this.ports.budget.tryConsume("place", now, priority)) {
      this.noteRateLimited(now, capped ? `requote cap of ${this.config.risk.maxOrdersPerInterval.count} per ${this.config.risk.maxOrdersPerInterval.intervalMs} ms reached` : `order budget exhausted (${priority})`);
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

  private cancel(clientOrderId: string, reason: string, now: number): number {
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

  /** One event per stretch of refused requests, not one per decision. */
  private noteRateLimited(now: number, reason: string): void {
    if (this.rateLimitedSince !== null) return;
    this.rateLimitedSince = now;
    this.ports.sink.event("rate_limited", now, reason);
  }

  /**
   * Sends the cancel of a PENDING_CANCEL order again when it is due (order-resolution.ts): the exchange has the
   * order and no cancel is on its way (the last one overtook the placement and came back "unknown order"), or the
   * exchange still lists it (`stillListed`) well after a cancel that never took effect (a 5xx before execution, a
   * dropped connection). PENDING_CANCEL ends only through exchange events.
   */
  private resendCancelIfDue(clientOrderId: string, now: number, stillListed = false): void {
    const order = this.ledger.get(clientOrderId);
    if (!order || !this.resolution.cancelDue(order, now, stillListed)) return;
    if (!this.ports.budget.tryConsume("cancel", now)) return;
    this.resolution.cancelSent(clientOrderId, now);
    this.ports.sink.log({ kind: "cancel", time: now, clientOrderId, reason: "RETRY" });
    this.ports.execution.cancel(this.identity.symbol, clientOrderId);
  }

  private cancelAll(reason: string): void {
    const now = this.ports.clock.now();
    for (const order of this.ledger.working()) {
      if (order.status !== "PENDING_CANCEL") this.cancel(order.clientOrderId, reason, now);
    }
  }

  /**
   * An order on our symbol this run does not know. An earlier run's (our prefix) is taken into the ledger as the
   * exchange reports it, journaled, its missing fills fetched, and cancelled on the tracked path; anything else is
   * not ours and is cancelled blind.
   */
  private adoptOrCancel(sighted: SightedOrder, time: number): void {
    // A bot on its way out leaves them alone: the account's user-data stream reaches every engine trading it, and an
    // unknown order of ours may be the next run's, on the engine this bot is being handed to.
    if (this.state === "STOPPING" || this.state === "STOPPED") return;
    const adoption = adoptionOf(this.identity.clientOrderIdPrefix, this.identity.symbol, sighted, time);
    if (!adoption) {
      this.cancelOrphan(sighted.clientOrderId, time);
      return;
    }
    const order = this.ledger.submit(adoption.request);
    this.ports.sink.event("order_adopted", time, `order ${order.clientOrderId} on ${this.identity.symbol} is an earlier run's: adopting and cancelling it`, {
      clientOrderId: order.clientOrderId,
      exchangeOrderId: adoption.report.exchangeOrderId,
    });
    this.applyEvent(order.clientOrderId, adoption.report);
    this.fetchTradesIfMissing(order.clientOrderId, adoption.report);
    this.cancel(order.clientOrderId, "ADOPTED", time);
  }

  private cancelOrphan(clientOrderId: string, time: number): void {
    this.ports.sink.event("orphan_cancelled", time, `order ${clientOrderId} on ${this.identity.symbol} is not ours: cancelling it`);
    this.ports.sink.log({ kind: "cancel", time, clientOrderId, reason: "ORPHAN" });
    this.ports.execution.cancel(this.identity.symbol, clientOrderId);
  }

  /** Asks the exchange about an order, at the resolution's pace (backoff per order). */
  private queryOrder(clientOrderId: string, now: number): void {
    if (!this.resolution.mayQuery(clientOrderId, now)) return;
    this.resolution.querySent(clientOrderId, now);
    this.ports.execution.query(this.identity.symbol, clientOrderId);
  }

  private applyEvent(clientOrderId: string, event: OrderEvent): void {
    const before = this.ledger.get(clientOrderId);
    const result = this.ledger.apply(clientOrderId, event);
    if (!result) return;
    if (result.kind === "rejected") {
      if (result.reason !== "DUPLICATE_TRADE") {
        const detail = result.detail === undefined ? "" : ` (${result.detail})`;
        this.ports.sink.event("order_inconsistent", event.time, `${result.reason}${detail} on ${clientOrderId} after ${event.type}: reconciling`);
        this.queryOrder(clientOrderId, event.time);
      }
      return;
    }
    if (result.kind !== "applied") return;
    this.resolution.noteEvent(clientOrderId, event, result.order);
    if (before) this.noteOrderChange(before, result.order, event.time, result.fill);
    this.ports.sink.order(result.order);
    if (result.fill) this.ports.sink.fill(result.fill, result.order);
    if (result.reopened && before) {
      // We had written it off; the exchange says otherwise. It is accounted above; a human should know, and it goes.
      this.ports.sink.event("order_reopened", event.time, reopenedReason(before, result.order, event), { clientOrderId, exchangeOrderId: result.order.exchangeOrderId, status: result.order.status, executedQty: result.order.executedQty.toFixed() });
      if (!isTerminal(result.order.status)) this.cancel(clientOrderId, "REOPENED", event.time);
    } else {
      this.resendCancelIfDue(clientOrderId, event.time);
    }
    if (this.state === "STOPPING") this.finishStopIfDone();
  }

  private finishStopIfDone(): void {
    if (this.ledger.working().length > 0) return;
    this.transition("STOPPED", this.stateReason, this.ports.clock.now());
    for (const listener of this.stoppedListeners.splice(0)) listener();
  }

  // ---- state --------------------------------------------------------------------------------------------------

  private updateQuotingState(desired: DesiredQuotes, widenedByRisk: boolean, now: number): void {
    const { bid, ask } = desired;
    if (bid.quoted && ask.quoted) {
      // Quoted in intent only: what was to put a side back (or take an order out of the band) could not be sent.
      const refused = this.refused.place ?? this.refused.cancel;
      if (refused !== null) this.transition("DEGRADED", refused, now);
      else if (widenedByRisk) this.transition("DEGRADED", "risk widened the quotes", now);
      else this.transition("QUOTING", null, now);
    } else if (bid.quoted || ask.quoted) {
      const missing = bid.quoted ? ask : bid;
      if (!missing.quoted) this.transition("DEGRADED", `${missing.side === "BUY" ? "bid" : "ask"} not quoted: ${missing.state}: ${missing.reason}`, now);
    } else if (!bid.quoted) {
      // Neither side quoted; the bid's reason stands for both (they share the usual causes).
      this.transition("HALTED", `${bid.state}: ${bid.reason}`, now);
    }
  }

  private transition(to: BotState, reason: string | null, time: number): void {
    if (this.state === to && this.stateReason === reason) return;
    const from = this.state;
    this.state = to;
    this.stateReason = reason;
    // KPI running time follows the true state; what is reported waits until a change has held (state-reports.ts).
    if (isRunning(from) !== isRunning(to)) this.kpi.record({ type: "RUNNING", time, running: isRunning(to) });
    this.stateReports.observe(to, reason, time);
  }

  /** The order's life as the KPI definitions see it: open from the ack to the cancel ack, expiry or full fill. */
  /**
   * An order's life as the KPI definitions see it (open from the first acknowledgement, whichever way it came, to
   * the cancel ack, expiry or full fill), told to the KPI tracker and to the audit trail in the same terms.
   */
  private noteOrderChange(before: Order, after: Order, time: number, fill: Fill | undefined): void {
    const id = after.clientOrderId;
    const log = this.ports.sink;
    if (before.acknowledgedAt === null && after.acknowledgedAt !== null) {
      if (time - after.createdAt <= MAX_ROUND_TRIP_MS) this.responseGuard.onRoundTrip(time - after.createdAt);
      this.kpi.record({ type: "ORDER_ACKED", time, clientOrderId: id, side: after.side, price: after.price, qty: after.origQty });
      log.log({ kind: "ack", time, clientOrderId: id, exchangeOrderId: after.exchangeOrderId ?? "" });
    }
    if (fill) {
      this.kpi.record({ type: "ORDER_FILLED", time, clientOrderId: id, price: fill.price, qty: fill.qty });
      log.log({ kind: "fill", time, clientOrderId: id, tradeId: fill.tradeId, price: fill.price.toFixed(), qty: fill.qty.toFixed() });
    }
    if (after.status === before.status || after.acknowledgedAt === null) return;
    if (after.status === "CANCELED") {
      this.kpi.record({ type: "ORDER_CANCELED", time, clientOrderId: id });
      log.log({ kind: "canceled", time, clientOrderId: id });
    } else if (after.status === "EXPIRED" || after.status === "REJECTED") {
      this.kpi.record({ type: "ORDER_EXPIRED", time, clientOrderId: id });
      log.log({ kind: "expired", time, clientOrderId: id });
    }
  }

  /** R(t) and the target prices, for the KPI tracker's band and drift checks. */
  private noteTargets(desired: DesiredQuotes, time: number): void {
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
      this.ports.sink.log({ kind: "targets", time, BUY: targets.BUY.map((p) => p.toFixed()), SELL: targets.SELL.map((p) => p.toFixed()) });
    }
  }

  private noteReference(reference: ReferencePrice, time: number): void {
    const last = this.lastReference;
    const same = last !== null && (reference.ok ? last.ok && last.price.eq(reference.price) : !last.ok && last.state === reference.state);
    if (same) return;
    this.lastReference = reference;
    if (reference.ok) this.responseGuard.onReference(time, reference.price.toNumber());
    this.ports.sink.log(
      reference.ok
        ? { kind: "reference", time, price: reference.price.toFixed() }
        : { kind: "reference", time, price: null, state: reference.state },
    );
  }

  private riskSnapshot(reference: ReferencePrice, now: number): RiskSnapshot {
    const requiredQuote = this.orderNotional;
    const sellWorking = this.ledger.working("SELL").length > 0;
    const requiredBase = reference.ok && !sellWorking ? this.baseNeededAt(reference.price) : ZERO;
    const balances = this.ports.balances.balances();
    // Until the account has reported balances, balance and position rules have nothing to judge.
    const base = balances?.base ?? { free: requiredBase, locked: ZERO };
    const quote = balances?.quote ?? { free: requiredQuote, locked: ZERO };
    if (balances && !this.startBalances) {
      this.startBalances = { base: base.free.plus(base.locked), quote: quote.free.plus(quote.locked) };
    }
    return {
      base,
      quote,
      startBase: this.startBalances?.base ?? base.free.plus(base.locked),
      startQuote: this.startBalances?.quote ?? quote.free.plus(quote.locked),
      // Funds our own working orders lock are ours to move: only count what a new order needs beyond them.
      requiredQuote: this.ledger.working("BUY").length > 0 ? ZERO : requiredQuote,
      requiredBase,
      priceMove: this.priceMoves.move(now),
      openOrders: this.ledger.working().length,
      feedStale: this.feedStatus && !this.feedStatus.live ? this.feedStatus.reason : null,
      consecutiveApiErrors: this.consecutiveApiErrors,
    };
  }

  private configure(config: BotConfig, instrument: Instrument): void {
    const views = this.ports.views ?? privateViews;
    this.config = config;
    this.instrument = instrument;
    this.policy = views.quotePolicy(instrument, config);
    this.orderNotional = new Decimal(config.minNotional).times(1 + config.notionalMargin);
    this.baseNeeded = null;
    const marketSettings = marketViewSettings(config);
    const marketSettingsKey = JSON.stringify(marketSettings);
    if (marketSettingsKey !== this.marketSettingsKey) {
      // New market settings start a new view (the reference and signals rebuild from the next events); it knows
      // the book from the start, as the old view did.
      const book = this.market?.book ?? null;
      this.market = views.market(this.identity.symbol, marketSettings);
      this.marketSettingsKey = marketSettingsKey;
      if (book && !this.market.book) this.market.onBookTop(book);
    }
    this.priceMoves = new PriceMoveWindow(config.risk.maxPriceMove.windowMs);
    const kpiSettings = kpiSettingsFrom(config);
    if (this.kpi) this.kpi.record({ type: "SETTINGS", time: this.ports.clock.now(), settings: kpiSettings });
    else {
      this.kpi = new KpiTracker(this.identity.botId, kpiSettings);
      this.kpi.onEpisode = ({ start, end }) => this.ports.sink.log({ kind: "episode", time: end, start, end });
    }
    this.requotesSent = new SlidingCounter(config.risk.maxOrdersPerInterval.intervalMs);
  }

  private baseNeededAt(reference: Decimal): Decimal {
    if (this.baseNeeded?.reference !== reference) this.baseNeeded = { reference, qty: this.orderNotional.div(reference) };
    return this.baseNeeded.qty;
  }
}

const ZERO = new Decimal(0);

function sameDecimal(a: Decimal | null, b: Decimal | null): boolean {
  return a === null || b === null ? a === b : a.eq(b);
}

function samePrices(a: readonly Decimal[], b: readonly Decimal[]): boolean {
  return a.length === b.length && a.every((price, i) => price.eq(b[i] as Decimal));
}

/** KPI running time: quoting, degraded or halted by risk or stale data; an operator pause and a stop are not. */
function isRunning(state: BotState): boolean {
  return state === "QUOTING" || state === "DEGRADED" || state === "HALTED";
}
