// The rules live trading and replay share when they read the exchange: which order status the bot is told, an
// order's trades as fills, and an account's balances as its snapshot and its user-data stream report them. Replay exists to measure live, so these
// exist once (with the order-request costs in core's AccountRequestBudget and the execution reports in
// execution-update.ts).
import type { Balances, Decimal, OrderTradeReport, ReportedStatus } from "@bandkeeper/core";
import type { AccountTrade, OrderStatus } from "@bandkeeper/binance";

/** A PENDING_NEW or PENDING_CANCEL order is resting as far as the bot is concerned; every other status is final or open as it says. */
export function reportedStatus(status: OrderStatus): ReportedStatus {
  return status === "PENDING_NEW" || status === "PENDING_CANCEL" ? "NEW" : status;
}

/** An order's trades (myTrades) as the bot accounts them. */
export function tradeReports(trades: readonly AccountTrade[]): OrderTradeReport[] {
  return trades.map((t) => ({ tradeId: String(t.id), price: t.price, qty: t.qty, commission: t.commission, commissionAsset: t.commissionAsset, isMaker: t.isMaker }));
}

export interface AssetBalance {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
}

/** An account's free and locked balances per asset. */
export class AccountAssets {
  private readonly assets = new Map<string, { free: Decimal; locked: Decimal }>();

  /**
   * The account snapshot (REST `account`). Balances the user-data stream reported while the snapshot was on its
   * way are newer, so an asset already known keeps its value.
   */
  fromSnapshot(balances: readonly AssetBalance[]): void {
    for (const { asset, free, locked } of balances) if (!this.assets.has(asset)) this.assets.set(asset, { free, locked });
  }

  /** outboundAccountPosition: every asset it names as it now stands. */
  onPosition(balances: readonly AssetBalance[]): void {
    for (const { asset, free, locked } of balances) this.assets.set(asset, { free, locked });
  }

  /** A bot's two assets, or null until both are known. */
  pair(baseAsset: string, quoteAsset: string): Balances | null {
    const base = this.assets.get(baseAsset);
    const quote = this.assets.get(quoteAsset);
    return base && quote ? { base, quote } : null;
  }

  all(): AssetBalance[] {
    return [...this.assets].map(([asset, { free, locked }]) => ({ asset, free, locked }));
  }
}
