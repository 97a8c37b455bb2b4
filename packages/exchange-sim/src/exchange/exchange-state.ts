// Everything the exchange holds, shared by its rooms: the facade (simulated-exchange.ts) builds one and passes it
// to market data, accounts, order entry, matching, the market driver and the publisher, which are plain functions
// over it. Nothing here decides anything.
import type { SeededRandom } from "../market/random";
import type { AccountState } from "./accounts/account-state";
import type { ChangeRecorder } from "./durable-state";
import { errors } from "./errors";
import type { EventQueue } from "./publisher/event-queue";
import type { SymbolState } from "./symbol-state";
import { ExchangeError, type AccountId, type Clock, type ExchangeFilter, type Fill } from "./venue";

export interface ExchangeSettings {
  /** Whether a resting order waits for the public quantity ahead of it at its price. */
  queuePosition: boolean;
  exchangeFilters: readonly ExchangeFilter[];
  exchangeMaxNumOrders: number | undefined;
  retainClosedOrders: number;
  retainTrades: number;
}

export class ExchangeState {
  readonly states = new Map<string, SymbolState>();
  readonly accounts = new Map<AccountId, AccountState>();
  readonly accountsByKey = new Map<string, AccountState>();
  /** Exchange-wide sequences (the state store saves and restores them with the accounts and orders). */
  readonly counters = { nextExecutionId: 1, nextAccountNumber: 1 };
  recorder: ChangeRecorder | undefined;
  /** Fills of the taker order in progress, for the FULL response. */
  takerFills: Fill[] = [];

  constructor(
    readonly clock: Clock,
    readonly random: SeededRandom,
    readonly settings: ExchangeSettings,
    readonly events: EventQueue,
  ) {}

  symbolState(symbol: string): SymbolState {
    const state = this.states.get(symbol);
    if (!state) throw errors.invalidSymbol();
    return state;
  }

  accountOf(accountId: AccountId): AccountState {
    const account = this.accounts.get(accountId);
    if (!account) throw new ExchangeError(-2015, "Invalid API-key, IP, or permissions for action.", 401);
    return account;
  }
}
