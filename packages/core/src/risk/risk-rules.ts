import { Decimal } from "../money/decimal";
import type { BotConfig } from "../config/bot-config";
import type { QuoteRestrictions, SideBlock } from "../not-quoted";
import type { Side } from "../side";

export const RISK_ACTION_SEVERITY = { WARN: 1, WIDEN: 2, PAUSE_SIDE: 4, PAUSE: 5, EMERGENCY_STOP: 6 } as const;
export type RiskActionKind = keyof typeof RISK_ACTION_SEVERITY;

export type RiskRule = "BALANCE" | "BASE_POSITION" | "QUOTE_POSITION" | "PRICE_MOVE" | "OPEN_ORDERS" | "MARKET_DATA" | "API_ERRORS";

export type RiskAction =
  | { readonly kind: "PAUSE_SIDE"; readonly side: Side; readonly rule: RiskRule; readonly reason: string }
  | { readonly kind: Exclude<RiskActionKind, "PAUSE_SIDE">; readonly rule: RiskRule; readonly reason: string };

export interface AssetBalance {
  readonly free: Decimal;
  readonly locked: Decimal;
}

export interface RiskSnapshot {
  readonly base: AssetBalance;
  readonly quote: AssetBalance;
  /** Totals (free + locked) when the bot started: positions are measured from here. */
  readonly startBase: Decimal;
  readonly startQuote: Decimal;
  /** Free balance a new order on each side needs: a bid's notional in quote, an ask's quantity in base. */
  readonly requiredQuote: Decimal;
  readonly requiredBase: Decimal;
  /** Largest reference move over the configured window (fraction), from PriceMoveWindow. */
  readonly priceMove: number;
  readonly openOrders: number;
  /** Why the host judges the market-data feed dead (FeedStatus), or null while it is live. */
  readonly feedStale: string | null;
  readonly consecutiveApiErrors: number;
}

export type RiskLimits = BotConfig["risk"];

/**
 * Evaluates every rule; an empty list means all clear. Each rule warns at warnAt x its limit and acts at the limit:
 * - BALANCE: free quote below a bid's notional pauses bids; free base below an ask's quantity pauses asks.
 * - BASE_POSITION / QUOTE_POSITION: a net change since start beyond the limit pauses the side that adds to it.
 * - PRICE_MOVE: half the limit widens, the full limit pauses.
 * - OPEN_ORDERS: pause. MARKET_DATA: pause while the host reports the feed dead (a quiet market is not).
 * Order rates are not a risk rule: the order budget holds back discretionary requotes and never an order that
 * restores a side (see OrderBudget and the bot's requote cap).
 * - API_ERRORS: pause at apiErrorsToPause, emergency stop (cancel everything on the account) at
 *   apiErrorsToEmergencyStop.
 */
export function evaluateRisk(s: RiskSnapshot, limits: RiskLimits): RiskAction[] {
  const actions: RiskAction[] = [];
  const warnAt = limits.warnAt;

  if (s.quote.free.lt(s.requiredQuote)) {
    actions.push({ kind: "PAUSE_SIDE", side: "BUY", rule: "BALANCE", reason: `free quote ${s.quote.free.toFixed()} < ${s.requiredQuote.toFixed()} needed for a bid` });
  }
  if (s.base.free.lt(s.requiredBase)) {
    actions.push({ kind: "PAUSE_SIDE", side: "SELL", rule: "BALANCE", reason: `free base ${s.base.free.toFixed()} < ${s.requiredBase.toFixed()} needed for an ask` });
  }

  if (limits.maxBasePosition !== undefined) {
    checkPosition(actions, "BASE_POSITION", s.base.free.plus(s.base.locked).minus(s.startBase), limits.maxBasePosition, "BUY", warnAt);
  }
  if (limits.maxQuotePosition !== undefined) {
    checkPosition(actions, "QUOTE_POSITION", s.quote.free.plus(s.quote.locked).minus(s.startQuote), limits.maxQuotePosition, "SELL", warnAt);
  }

  const move = limits.maxPriceMove;
  if (s.priceMove >= move.fraction / 2) {
    // The reason names the limit crossed, not the growing move, so it is news once, not on every decision.
    const pause = s.priceMove >= move.fraction;
    const reason = `price moved over ${((pause ? move.fraction : move.fraction / 2) * 100).toFixed(3)}% in ${move.windowMs} ms`;
    actions.push({ kind: pause ? "PAUSE" : "WIDEN", rule: "PRICE_MOVE", reason });
  }

  if (s.openOrders > limits.maxOpenOrders) {
    actions.push({ kind: "PAUSE", rule: "OPEN_ORDERS", reason: `${s.openOrders} open orders above ${limits.maxOpenOrders}` });
  }
  if (s.feedStale !== null) actions.push({ kind: "PAUSE", rule: "MARKET_DATA", reason: s.feedStale });
  if (s.consecutiveApiErrors >= limits.apiErrorsToEmergencyStop) {
    actions.push({ kind: "EMERGENCY_STOP", rule: "API_ERRORS", reason: `${s.consecutiveApiErrors} API errors in a row` });
  } else {
    checkThreshold(actions, "API_ERRORS", s.consecutiveApiErrors, limits.apiErrorsToPause, warnAt, "PAUSE", "API errors in a row");
  }
  return actions;
}

/** A net change since start beyond the limit pauses the side that pushes the position further. */
function checkPosition(actions: RiskAction[], rule: "BASE_POSITION" | "QUOTE_POSITION", net: Decimal, limit: string, growingSide: Side, warnAt: number): void {
  const max = new Decimal(limit);
  const size = net.abs();
  // Buying grows base and shrinks quote.
  const side: Side = net.isPositive() ? growingSide : growingSide === "BUY" ? "SELL" : "BUY";
  if (size.gt(max)) actions.push({ kind: "PAUSE_SIDE", side, rule, reason: `net ${net.toFixed()} beyond ${max.toFixed()}` });
  else if (size.gte(max.times(warnAt))) actions.push({ kind: "WARN", rule, reason: `net ${net.toFixed()} near ${max.toFixed()}` });
}

function checkThreshold(actions: RiskAction[], rule: RiskRule, value: number, limit: number, warnAt: number, atLimit: "PAUSE", what: string): void {
  if (value >= limit) actions.push({ kind: atLimit, rule, reason: `${what} ${value} reached ${limit}` });
  else if (value >= limit * warnAt) actions.push({ kind: "WARN", rule, reason: `${what} ${value} near ${limit}` });
}

export function mostSevere(actions: readonly RiskAction[]): RiskAction | null {
  let worst: RiskAction | null = null;
  for (const a of actions) if (!worst || RISK_ACTION_SEVERITY[a.kind] > RISK_ACTION_SEVERITY[worst.kind]) worst = a;
  return worst;
}

export interface RiskDecision {
  /** Cancel every order on the account and stop the bot. */
  readonly emergencyStop: boolean;
  readonly restrictions: QuoteRestrictions;
  readonly warnings: readonly RiskAction[];
}

/** Turns risk actions into what the quote policy understands; WIDEN asks for the widest quote the band allows. */
export function riskDecision(actions: readonly RiskAction[], band: BotConfig["band"]): RiskDecision {
  const blocked: Partial<Record<Side, SideBlock>> = {};
  const block = (side: Side, b: SideBlock) => {
    blocked[side] ??= b;
  };
  let extraWiden = 0;
  for (const a of actions) {
    switch (a.kind) {
      case "PAUSE_SIDE":
        block(a.side, { state: a.rule === "BALANCE" ? "INSUFFICIENT_BALANCE" : "POSITION_LIMIT", reason: a.reason });
        break;
      case "PAUSE":
      case "EMERGENCY_STOP": {
        const b: SideBlock = { state: a.rule === "MARKET_DATA" ? "STALE_MARKET_DATA" : "RISK_PAUSED", reason: a.reason };
        block("BUY", b);
        block("SELL", b);
        break;
      }
      case "WIDEN":
        extraWiden = band.maxSpread;
        break;
      case "WARN":
        break;
    }
  }
  return {
    emergencyStop: actions.some((a) => a.kind === "EMERGENCY_STOP"),
    restrictions: { blocked, extraWiden },
    warnings: actions.filter((a) => a.kind === "WARN"),
  };
}
