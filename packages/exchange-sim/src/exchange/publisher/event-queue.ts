// Events of one action are queued while it runs and delivered when it completes, in Binance's order: every
// executionReport of the action, then one outboundAccountPosition per touched account. A listener that acts on
// the exchange from inside a delivery queues its own events behind the ones being delivered.
import type { AccountState } from "../accounts/account-state";
import type { ChangeRecorder } from "../durable-state";
import type { ExchangeState } from "../exchange-state";
import { fmt } from "../num";
import type { SymbolState } from "../symbol-state";
import type { AccountId, MarketEvent, Unsubscribe, UserEvent } from "../venue";

interface PendingUserEvent {
  accountId: AccountId;
  event: UserEvent;
}

interface PendingMarketEvent {
  state: SymbolState;
  event: MarketEvent;
}

export class EventQueue {
  private readonly userListeners = new Map<AccountId, Set<(event: UserEvent) => void>>();
  private readonly pendingUser: PendingUserEvent[] = [];
  private readonly pendingMarket: PendingMarketEvent[] = [];
  /** Accounts touched by the action in progress (they get one outboundAccountPosition at its end). */
  private readonly touchedAccounts = new Set<AccountState>();
  private flushing = false;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  market(state: SymbolState, event: MarketEvent): void {
    this.pendingMarket.push({ state, event });
  }

  user(accountId: AccountId, event: UserEvent): void {
    this.pendingUser.push({ accountId, event });
  }

  /** The account's balances changed in this action. */
  touch(account: AccountState): void {
    this.touchedAccounts.add(account);
  }

  onUserEvent(accountId: AccountId, listener: (event: UserEvent) => void): Unsubscribe {
    let set = this.userListeners.get(accountId);
    if (!set) {
      set = new Set();
      this.userListeners.set(accountId, set);
    }
    set.add(listener);
    const listeners = set;
    return () => listeners.delete(listener);
  }

  /** Ends an action: one outboundAccountPosition per touched account, then every queued event in order. */
  finish(now: number, recorder: ChangeRecorder | undefined): void {
    for (const account of this.touchedAccounts) {
      recorder?.accountChanged(account);
      if (account.dirtyAssets.size === 0) continue;
      const B = [...account.dirtyAssets].map((asset) => {
        const b = account.balance(asset);
        return { a: asset, f: fmt(b.free), l: fmt(b.locked) };
      });
      account.dirtyAssets.clear();
      this.pendingUser.push({
        accountId: account.id,
        event: { e: "outboundAccountPosition", E: now, u: account.updateTime, B },
      });
    }
    this.touchedAccounts.clear();
    if (this.flushing) return;
    this.flushing = true;
    try {
      let mi = 0;
      let ui = 0;
      while (mi < this.pendingMarket.length || ui < this.pendingUser.length) {
        while (mi < this.pendingMarket.length) {
          const { state, event } = this.pendingMarket[mi++] as PendingMarketEvent;
          for (const listener of state.listeners) this.deliver(listener, event);
        }
        while (ui < this.pendingUser.length) {
          const { accountId, event } = this.pendingUser[ui++] as PendingUserEvent;
          for (const listener of this.userListeners.get(accountId) ?? []) this.deliver(listener, event);
        }
      }
    } finally {
      this.pendingMarket.length = 0;
      this.pendingUser.length = 0;
      this.flushing = false;
    }
  }

  /** A failing listener must not turn a completed exchange action into an error for its caller. */
  private deliver<E>(listener: (event: E) => void, event: E): void {
    try {
      listener(event);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}

/** Every public exchange action ends here, whether it succeeded or threw. */
export function finishAction(exchange: ExchangeState): void {
  exchange.events.finish(exchange.clock.now(), exchange.recorder);
}
