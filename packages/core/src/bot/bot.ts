// One bot: keeps a bid and an ask inside the band around the reference price of one symbol on one account.
// The fixed command path on every market event: reference price -> risk -> quote policy -> requote plan ->
// order budget -> execution. Order state changes only through exchange events applied to the ledger. The bot never
// reads a clock or starts a timer itself: the host calls `tick()` and delivers events, so replay is deterministic.
import type { BotConfig } from "../config";
import type { KpiFlags, KpiMinuteBucket } from "../kpi";
import type { Decimal, Instrument } from "../money";
import { OrderLedger, type Order, type ReportedStatus } from "../orders";
import type { BookDepth, BookTop, FeedStatus, MarketTrade } from "../pricing";
import { type QuotePolicy, ResponseGuard, planPeriodicRefresh, planRequotes, type DesiredQuotes, type RequoteAction } from "../quoting";
import { PriceMoveWindow, evaluateRisk, riskDecision } from "../risk";
import type { BotIdentity, ExchangeOpenOrder, ExecutionUpdate } from "./inputs";
import { KpiWitness } from "./kpi-witness";
import { OrderKeeper } from "./order-keeper";
import { OrderResolution } from "./order-resolution";
import { OrderSender } from "./order-sender";
import { RiskInputs } from "./risk-inputs";
import { StateReporter } from "./state-reports";
import type { BotPorts, BotState, ExecutionReplies, OrderTradeReport } from "./ports";
import { marketViewSettings, privateViews, type SymbolMarket } from "./symbol-market";

export type { BotIdentity, ExchangeOpenOrder, ExecutionUpdate } from "./inputs";

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
  private priceMoves!: PriceMoveWindow;
  /** How far R may move during one response; the planner requotes that much earlier. */
  private readonly responseGuard = new ResponseGuard();
  private readonly ledger = new OrderLedger();
  /** Queries and cancels of orders whose fate is not known yet (order-resolution.ts). */
  private readonly resolution = new OrderResolution();
  private readonly sender: OrderSender;
  private readonly riskInputs: RiskInputs;
  private readonly kpi: KpiWitness;
  private readonly orders: OrderKeeper;
  /** The last plan, with the ledger it was made against. */
  private lastPlan: { desired: DesiredQuotes; ledgerVersion: number; guard: number; actions: readonly RequoteAction[] } | null = null;

  private state: BotState = "STOPPED";
  private stateReason: string | null = null;
  private lastMarketDataAt: number | null = null;
  private lastPeriodicRefreshAt: number | null = null;
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
    this.sender = new OrderSender(identity, ports, this.ledger, this.resolution, (id, event) => this.orders.applyEvent(id, event));
    this.riskInputs = new RiskInputs(ports.balances, this.ledger);
    this.kpi = new KpiWitness(identity.botId, config, ports.sink);
    this.orders = new OrderKeeper(identity, ports, this.ledger, this.resolution, this.sender, this.kpi, this.responseGuard, {
      leaving: () => this.state === "STOPPING" || this.state === "STOPPED",
      orderChanged: () => {
        if (this.state === "STOPPING") this.finishStopIfDone();
      },
    });
    this.configure(config, instrument, true);
  }

  get currentState(): { state: BotState; reason: string | null } {
    return { state: this.state, reason: this.stateReason };
  }

  /** The KPI flags right now (running, compliant, two-sided, depth), for gauges. */
  kpiFlags(): KpiFlags {
    return this.kpi.flags();
  }

  /**
   * KPI milliseconds and counts gathered since the last call, per minute, the current partial minute included.
   * Buckets of the same minute from successive calls add up (the journal sums them).
   */
  takeKpis(options: { final?: boolean } = {}): KpiMinuteBucket[] {
    // The end of a record (a replay's end, a bot taken away): an episode still open counts as it stands.
    return this.kpi.drain(this.ports.clock.now(), options.final === true);
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
    if (this.config.requoteMode === "periodic" || this.sender.rateLimitedSince !== null || this.kpi.flags().breach) return now + tickMs;
    for (const order of this.ledger.working()) {
      if (order.status !== "NEW" && order.status !== "PARTIALLY_FILLED") return now + tickMs;
    }
    // Quiet: only slow things remain (the trades' weight ageing, windows expiring), so a tick a second will do.
    return now + Math.max(tickMs, IDLE_TICK_MS);
  }

  // ---- execution outcomes (order-keeper.ts applies them) ----------------------------------------------------

  onPlaceAcknowledged(clientOrderId: string, exchangeOrderId: string): void {
    this.orders.onPlaceAcknowledged(clientOrderId, exchangeOrderId);
  }

  onPlaceRejected(clientOrderId: string, code: number | null, message: string): void {
    this.orders.onPlaceRejected(clientOrderId, code, message);
    this.evaluate();
  }

  onPlaceOutcomeUnknown(clientOrderId: string, message: string): void {
    this.orders.onPlaceOutcomeUnknown(clientOrderId, message);
  }

  onCancelAcknowledged(clientOrderId: string): void {
    this.orders.onCancelAcknowledged(clientOrderId);
  }

  onCancelRejected(clientOrderId: string, code: number | null, message: string): void {
    this.orders.onCancelRejected(clientOrderId, code, message);
  }

  onOrderStatus(clientOrderId: string, status: { status: ReportedStatus; exchangeOrderId: string; executedQty?: Decimal } | "NOT_FOUND"): void {
    this.orders.onOrderStatus(clientOrderId, status);
    this.evaluate();
  }

  onOrderTrades(clientOrderId: string, trades: readonly OrderTradeReport[]): void {
    this.orders.onOrderTrades(clientOrderId, trades);
    this.evaluate();
  }

  /** Events from the account's user-data stream. */
  onExecutionUpdate(update: ExecutionUpdate): void {
    if (this.orders.onExecutionUpdate(update)) this.evaluate();
  }

  /** Reconciliation against the exchange's open orders (order-keeper.ts). */
  reconcile(openOnExchange: readonly ExchangeOpenOrder[]): void {
    this.orders.reconcile(openOnExchange);
  }

  /**
   * Called by the host every ~100 ms: staleness, periodic refresh, overdue queries, memory. `marketTime` is when to
   * read the market (default now): a fleet ticks its bots with one time, so bots sharing a market view share its
   * snapshot instead of each computing one for its own instant.
   */
  tick(marketTime?: number): void {
    const now = this.ports.clock.now();
    for (const order of this.ledger.working()) {
      this.sender.resendCancelIfDue(order.clientOrderId, now);
      if (this.resolution.queryDue(order, now)) this.sender.query(order.clientOrderId, now);
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
    if (this.kpi.reference(reference, now) && reference.ok) this.responseGuard.onReference(now, reference.price.toNumber());
    if (reference.ok) this.priceMoves.record(now, reference.price);

    const risk = riskDecision(evaluateRisk(this.riskInputs.snapshot(reference, { priceMove: this.priceMoves.move(now), feed: this.feedStatus, consecutiveApiErrors: this.orders.apiErrors }), this.config.risk), this.config.band);
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
    this.kpi.targets(desired, now);
    if (marketEventAt !== undefined) this.kpi.record({ type: "MARKET_EVENT", time: marketEventAt });
    const actions = this.plan(desired, now, onTick);
    let requests = 0;
    for (const action of actions) requests += this.sender.send(action, reference, now);
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

  /** The response guard in steps of a twentieth of the drift threshold, so a plan is reused while it stands. */
  private guardAt(now: number): number {
    const step = this.config.hysteresis.driftThreshold / 20;
    return Math.floor(this.responseGuard.guard(now) / step) * step;
  }

  private cancelAll(reason: string): void {
    const now = this.ports.clock.now();
    for (const order of this.ledger.working()) {
      if (order.status !== "PENDING_CANCEL") this.sender.cancel(order.clientOrderId, reason, now);
    }
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
      const refused = this.sender.refused.place ?? this.sender.refused.cancel;
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

  private configure(config: BotConfig, instrument: Instrument, initial = false): void {
    const views = this.ports.views ?? privateViews;
    this.config = config;
    this.instrument = instrument;
    this.policy = views.quotePolicy(instrument, config);
    this.riskInputs.configure(config);
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
    if (!initial) this.kpi.configChanged(config, this.ports.clock.now());
    this.sender.configure(config);
  }
}

/** KPI running time: quoting, degraded or halted by risk or stale data; an operator pause and a stop are not. */
function isRunning(state: BotState): boolean {
  return state === "QUOTING" || state === "DEGRADED" || state === "HALTED";
}
