// Writes one snapshot without stopping the exchange for it. What can still change (accounts, open orders, the
// sequences) is serialised at once; closed orders and trades never change again, so only their references are
// taken then and they are serialised in slices between the exchange's work. The file is written under a temporary
// name, synced and renamed: until the rename, the previous generation and its journals are the state on disk.
import { closeSync, fsync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

import type { AccountState } from "../exchange/accounts/account-state";
import { accountRecord, orderRecord, sequencesOf, type ExchangeInternals } from "../exchange/durable-state";
import type { OrderState } from "../exchange/order";
import type { AccountId, MyTrade } from "../exchange/venue";
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "./state-files";

/** Records serialised per slice: a few milliseconds of work, so the exchange's tick and requests go on meanwhile. */
const SLICE = 500;

export class SnapshotWriter {
  /** Bytes written so far (the whole file once done). */
  bytes = 0;
  private readonly fd: number;
  private readonly temporary: string;
  private readonly closedOrders: OrderState[] = [];
  private readonly trades: [AccountId, MyTrade[]][] = [];
  private orderIndex = 0;
  private accountIndex = 0;
  private tradeIndex = 0;
  private firstTrade = true;
  private stage: "orders" | "trades" | "done" = "orders";
  private abandoned = false;
  /** Whether the orders list has an entry yet (the next one needs a comma). */
  private needsComma: boolean;

  constructor(
    internals: ExchangeInternals,
    revokedKeys: Iterable<string>,
    readonly generation: number,
    readonly path: string,
  ) {
    this.temporary = `${path}.tmp`;
    const accounts: string[] = [];
    for (const account of internals.accounts.values()) {
      accounts.push(JSON.stringify(accountRecord(account)));
      this.takeTrades(account);
    }
    const openOrders: string[] = [];
    for (const state of internals.states.values()) {
      for (const order of state.orders.values()) {
        if (order.isOpen()) openOrders.push(JSON.stringify(orderRecord(order)));
        else this.closedOrders.push(order);
      }
    }
    const head =
      `{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"version":${SNAPSHOT_VERSION},"generation":${generation},` +
      `"savedAt":${Date.now()},"sequences":${JSON.stringify(sequencesOf(internals))},` +
      `"revokedKeys":${JSON.stringify([...revokedKeys])},"accounts":[${accounts.join(",")}],"orders":[${openOrders.join(",")}`;
    this.fd = openSync(this.temporary, "w");
    this.write(head);
    this.needsComma = openOrders.length > 0;
  }

  /** Serialises and writes one slice; true once everything is written. */
  step(): boolean {
    if (this.stage === "orders") {
      const end = Math.min(this.orderIndex + SLICE, this.closedOrders.length);
      const parts: string[] = [];
      for (; this.orderIndex < end; this.orderIndex++) parts.push(JSON.stringify(orderRecord(this.closedOrders[this.orderIndex] as OrderState)));
      if (parts.length > 0) this.write(`${this.needsComma ? "," : ""}${parts.join(",")}`);
      this.needsComma ||= parts.length > 0;
      if (this.orderIndex >= this.closedOrders.length) {
        this.write(`],"trades":[`);
        this.stage = "trades";
      }
      return false;
    }
    if (this.stage === "trades") {
      const parts: string[] = [];
      while (parts.length < SLICE && this.accountIndex < this.trades.length) {
        const [accountId, list] = this.trades[this.accountIndex] as [AccountId, MyTrade[]];
        if (this.tradeIndex >= list.length) {
          this.accountIndex++;
          this.tradeIndex = 0;
          continue;
        }
        parts.push(`[${JSON.stringify(accountId)},${JSON.stringify(list[this.tradeIndex++])}]`);
      }
      if (parts.length > 0) {
        this.write(`${this.firstTrade ? "" : ","}${parts.join(",")}`);
        this.firstTrade = false;
      }
      if (this.accountIndex >= this.trades.length) {
        this.write("]}");
        this.stage = "done";
        return true;
      }
      return false;
    }
    return true;
  }

  /** Writes everything now (at start and in tests). */
  runToEnd(): void {
    while (!this.step());
    fsyncSync(this.fd);
    this.install();
  }

  /** Writes slice by slice on the event loop, syncs without blocking it, then renames; `done` after that. */
  runInBackground(done: (error?: Error) => void): void {
    const next = (): void => {
      if (this.abandoned) return;
      try {
        if (!this.step()) {
          setImmediate(next);
          return;
        }
      } catch (error) {
        this.abandon();
        done(error as Error);
        return;
      }
      fsync(this.fd, (error) => {
        if (this.abandoned) return;
        if (error) {
          this.abandon();
          done(error);
          return;
        }
        try {
          this.install();
          done();
        } catch (failure) {
          done(failure as Error);
        }
      });
    };
    setImmediate(next);
  }

  /** Stops an unfinished snapshot and removes its temporary file; the previous generation stays the state. */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    closeSync(this.fd);
    rmSync(this.temporary, { force: true });
  }

  private takeTrades(account: AccountState): void {
    // A copy of each list: the exchange appends to (and trims) its own while this one is written.
    for (const list of account.trades.values()) if (list.length > 0) this.trades.push([account.id, list.slice()]);
  }

  private write(text: string): void {
    this.bytes += writeSync(this.fd, text);
  }

  private install(): void {
    closeSync(this.fd);
    renameSync(this.temporary, this.path);
    const dirFd = openSync(dirname(this.path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
