// Accounts as the venue offers them: created with their keys and balances, found by API key, shown as
// GET /api/v3/account, and credited or debited from outside (deposits, the admin API).
import type Decimal from "decimal.js";

import { errors } from "../errors";
import type { ExchangeState } from "../exchange-state";
import { Dec, fmt } from "../num";
import { finishAction } from "../publisher/event-queue";
import type { AccountCredentials, AccountId, AccountResponse, AccountSetup } from "../venue";
import { AccountState } from "./account-state";

export function createAccount(exchange: ExchangeState, setup: AccountSetup): AccountCredentials {
  if (exchange.accountsByKey.has(setup.apiKey)) throw new Error(`API key already registered: ${setup.apiKey}`);
  const number = exchange.counters.nextAccountNumber++;
  const account = new AccountState(`account-${number}`, setup.apiKey, setup.secret, setup, 100000000 + number);
  account.updateTime = exchange.clock.now();
  exchange.accounts.set(account.id, account);
  exchange.accountsByKey.set(account.apiKey, account);
  exchange.recorder?.accountChanged(account);
  return { accountId: account.id, apiKey: account.apiKey, secret: account.secret };
}

export function accountByApiKey(exchange: ExchangeState, apiKey: string): AccountCredentials | undefined {
  const account = exchange.accountsByKey.get(apiKey);
  return account && { accountId: account.id, apiKey: account.apiKey, secret: account.secret };
}

export function accountView(exchange: ExchangeState, accountId: AccountId, omitZeroBalances: boolean): AccountResponse {
  const account = exchange.accountOf(accountId);
  const bps = (rate: Decimal): number => rate.mul(10000).toDecimalPlaces(0).toNumber();
  const balances = [...account.balances.entries()]
    .filter(([, b]) => !omitZeroBalances || b.free.gt(0) || b.locked.gt(0))
    .map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) }));
  return {
    makerCommission: bps(account.makerRate),
    takerCommission: bps(account.takerRate),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: fmt(account.makerRate),
      taker: fmt(account.takerRate),
      buyer: "0.00000000",
      seller: "0.00000000",
    },
    canTrade: account.canTrade,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime,
    accountType: "SPOT",
    balances,
    permissions: ["SPOT"],
    uid: account.uid,
  };
}

/** A deposit (or, negative, a withdrawal): balanceUpdate then outboundAccountPosition. */
export function adjustBalance(exchange: ExchangeState, accountId: AccountId, asset: string, delta: string): void {
  const account = exchange.accountOf(accountId);
  const amount = new Dec(delta);
  if (account.balance(asset).free.add(amount).lt(0)) throw errors.insufficientBalance();
  const now = exchange.clock.now();
  account.credit(asset, amount);
  account.updateTime = now;
  exchange.events.touch(account);
  exchange.events.user(accountId, { e: "balanceUpdate", E: now, a: asset, d: fmt(amount), T: now });
  finishAction(exchange);
}
