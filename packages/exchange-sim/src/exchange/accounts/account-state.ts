import type Decimal from "decimal.js";

import { Dec, ZERO } from "../num";
import type { OrderState } from "../order";
import type { AccountId, AccountSetup, MyTrade } from "../venue";

export interface AssetBalance {
  free: Decimal;
  locked: Decimal;
}

/** One account: balances, commission rates, its open orders and its trade history. */
export class AccountState {
  readonly balances = new Map<string, AssetBalance>();
  readonly makerRate: Decimal;
  readonly takerRate: Decimal;
  readonly uid: number;
  readonly canTrade: boolean;
  updateTime = 0;
  /** Open orders by symbol, then by clientOrderId (uniqueness of open client ids is per symbol). */
  readonly openBySymbol = new Map<string, Map<string, OrderState>>();
  openCount = 0;
  readonly trades = new Map<string, MyTrade[]>();
  /** The latest order per symbol and client id (key `symbol\0clientOrderId`), for queries by client id. */
  readonly latestByClientId = new Map<string, OrderState>();
  /** Assets changed by the action in progress, reported in one outboundAccountPosition at its end. */
  readonly dirtyAssets = new Set<string>();

  constructor(
    readonly id: AccountId,
    readonly apiKey: string,
    readonly secret: string,
    setup: AccountSetup,
    uid: number,
  ) {
    this.makerRate = new Dec(setup.commission?.maker ?? "0.001");
    this.takerRate = new Dec(setup.commission?.taker ?? "0.001");
    this.uid = setup.uid ?? uid;
    this.canTrade = setup.canTrade ?? true;
    for (const [asset, amount] of Object.entries(setup.balances)) {
      this.balances.set(asset, { free: new Dec(amount), locked: ZERO });
    }
  }

  balance(asset: string): AssetBalance {
    let b = this.balances.get(asset);
    if (!b) {
      b = { free: ZERO, locked: ZERO };
      this.balances.set(asset, b);
    }
    return b;
  }

  lock(asset: string, amount: Decimal): void {
    const b = this.balance(asset);
    b.free = b.free.sub(amount);
    b.locked = b.locked.add(amount);
    this.dirtyAssets.add(asset);
  }

  unlock(asset: string, amount: Decimal): void {
    const b = this.balance(asset);
    b.free = b.free.add(amount);
    b.locked = b.locked.sub(amount);
    this.dirtyAssets.add(asset);
  }

  credit(asset: string, amount: Decimal): void {
    const b = this.balance(asset);
    b.free = b.free.add(amount);
    this.dirtyAssets.add(asset);
  }

  /** Takes from locked funds (a fill of a resting order's reserved amount). */
  spendLocked(asset: string, amount: Decimal): void {
    const b = this.balance(asset);
    b.locked = b.locked.sub(amount);
    this.dirtyAssets.add(asset);
  }

  openOrdersOf(symbol: string): Map<string, OrderState> {
    let m = this.openBySymbol.get(symbol);
    if (!m) {
      m = new Map();
      this.openBySymbol.set(symbol, m);
    }
    return m;
  }

  addOpen(order: OrderState): void {
    this.openOrdersOf(order.symbol).set(order.clientOrderId, order);
    this.openCount++;
  }

  removeOpen(order: OrderState): void {
    if (this.openBySymbol.get(order.symbol)?.delete(order.clientOrderId)) this.openCount--;
  }

  tradesOf(symbol: string): MyTrade[] {
    let list = this.trades.get(symbol);
    if (!list) {
      list = [];
      this.trades.set(symbol, list);
    }
    return list;
  }
}
