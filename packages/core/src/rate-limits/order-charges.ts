// What each request the engine sends on an account's behalf costs against Binance Spot's limits, and how much of
// a limit each priority may use. The one rule set of the live adapter and of replay, so replay measures live.
import type { OrderBudget, OrderPriority } from "../bot/ports";
import {
  BINANCE_SPOT_ACCOUNT_LIMITS,
  BINANCE_SPOT_IP_LIMITS,
  RateLimitBudget,
  type BudgetDecision,
  type RateLimitBan,
  type RateLimitRule,
  type RateLimitUsage,
  type RequestCost,
} from "./budget";
import { FairOrderShares, type OrderWindow } from "./fair-share";

export type AccountRequest = "placeOrder" | "cancelOrder" | "queryOrder" | "openOrders" | "cancelAllOpenOrders" | "account";

/**
 * Documented costs (one symbol). Every request is also one raw request. Since 2026-04-02 order placement and
 * cancels cost no weight when they succeed; a failure's weight (1) reaches the budget through the exchange's next
 * usage report. Only new orders count toward the ORDERS limits, never cancels.
 */
export const ACCOUNT_REQUEST_COSTS: Readonly<Record<AccountRequest, { readonly weight: number; readonly orders: number }>> = {
  placeOrder: { weight: 0, orders: 1 },
  cancelOrder: { weight: 0, orders: 0 },
  queryOrder: { weight: 4, orders: 0 },
  openOrders: { weight: 6, orders: 0 },
  cancelAllOpenOrders: { weight: 0, orders: 0 },
  account: { weight: 20, orders: 0 },
};

/**
 * The share of every limit that REQUOTE requests (drift requotes, order queries) may use. RESTORE requests may
 * use the whole limit, so the last 20% of each window is always there to put back a missing or out-of-band side.
 */
export const REQUOTE_SHARE = 0.8;

/** The budget of one IP (request weight, raw requests), shared by every account this process trades from it. */
export function createIpBudget(rules: readonly RateLimitRule[] = BINANCE_SPOT_IP_LIMITS): RateLimitBudget {
  return new RateLimitBudget({ rules, safetyFactor: REQUOTE_SHARE });
}

export interface RequestBudgetUsage {
  readonly scope: "ip" | "account";
  /** `ORDERS_10SECOND`, `REQUEST_WEIGHT_1MINUTE`, ... */
  readonly limit: string;
  readonly used: number;
}

/**
 * The budgets one account's requests draw from: the account's order counts, and its IP's weight and raw requests.
 * It is the bot's `OrderBudget` (shared by every bot of the account) and learns from the exchange: usage reports
 * raise its counts, a 429/418 bans the limit it named until the exchange's retry time.
 */
export class AccountRequestBudget {
  private readonly account: RateLimitBudget;
  private readonly shares = new FairOrderShares(REQUOTE_SHARE);

  constructor(
    private readonly ip: RateLimitBudget,
    accountRules: readonly RateLimitRule[] = BINANCE_SPOT_ACCOUNT_LIMITS,
  ) {
    this.account = new RateLimitBudget({ rules: accountRules, safetyFactor: REQUOTE_SHARE });
  }

  /** The bot's port. A request that names no priority is taken as a restore: an unexplained order is not starved. */
  tryConsume(kind: "place" | "cancel", now: number, priority: OrderPriority = "RESTORE"): boolean {
    return this.tryRequest(kind === "place" ? "placeOrder" : "cancelOrder", now, priority).ok;
  }

  /**
   * The budget one bot of the account draws from: this one, with the restore reserve of each new-order window split
   * between the account's bots, so that one of them cannot spend it all (fair-share.ts). `leave` when the bot goes.
   */
  forBot(botId: string): OrderBudget & { leave(): void } {
    this.shares.join(botId);
    let left = false;
    return {
      tryConsume: (kind, now, priority = "RESTORE") => {
        if (kind === "cancel") return this.tryConsume(kind, now, priority);
        const windows = this.orderWindows(now);
        if (!this.shares.allows(botId, windows) || !this.tryConsume(kind, now, priority)) return false;
        this.shares.record(botId, windows);
        return true;
      },
      leave: () => {
        if (!left) this.shares.leave(botId);
        left = true;
      },
    };
  }

  tryRequest(request: AccountRequest, now: number, priority: OrderPriority): BudgetDecision {
    return RateLimitBudget.tryConsumeAll(this.charges(request, priority), now);
  }

  /** Counts a request that goes out whatever the budget says: reconciliation at start and the emergency stop. */
  record(request: AccountRequest, now: number): void {
    for (const [budget, cost] of this.charges(request, "RESTORE")) budget.record(cost, now);
  }

  /** The exchange's counts for this account's windows and its IP's (a response to one of this account's requests). */
  learnUsage(reports: readonly RateLimitUsage[], now: number): void {
    this.ip.sync(reports, now);
    this.account.sync(reports, now);
  }

  /** A 429 or 418: the limit it named is closed until `retryAt`; the other limits stay open. */
  learnRefusal(limit: RateLimitBan, retryAt: number): void {
    this.ip.banUntil(limit, retryAt);
    this.account.banUntil(limit, retryAt);
  }

  usage(now: number): RequestBudgetUsage[] {
    const label = (rule: RateLimitRule) => `${rule.rateLimitType}_${rule.intervalNum}${rule.interval}`;
    return [
      ...this.ip.usage(now).map(({ rule, used }) => ({ scope: "ip" as const, limit: label(rule), used })),
      ...this.account.usage(now).map(({ rule, used }) => ({ scope: "account" as const, limit: label(rule), used })),
    ];
  }

  private orderWindows(now: number): OrderWindow[] {
    return this.account.usage(now).map(({ rule, used, windowStart }) => ({ key: `${rule.interval}_${rule.intervalNum}`, limit: rule.limit, used, windowStart }));
  }

  private charges(request: AccountRequest, priority: OrderPriority): (readonly [RateLimitBudget, RequestCost])[] {
    const { weight, orders } = ACCOUNT_REQUEST_COSTS[request];
    const critical = priority === "RESTORE";
    const ipCost: RequestCost = { weight, rawRequests: 1, critical };
    return orders > 0 ? [[this.account, { orders, critical }], [this.ip, ipCost]] : [[this.ip, ipCost]];
  }
}
