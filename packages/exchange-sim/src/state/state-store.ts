// Keeps a simulator's accounts, orders, trades and id sequences in a directory across restarts. Every change
// the exchange makes is queued (ChangeRecorder) and written every `flushIntervalMs` as one journal batch in one
// write; a batch counts only once its commit line is there, so a SIGKILL loses at most the last interval and
// never leaves a half-applied batch. When the journal grows past `compactBytes` (and at every start) a new
// generation begins: its snapshot is written beside the running journal (snapshot-writer.ts) under a temporary
// name, synced and renamed, so a snapshot on disk is always complete; the previous generation is kept to fall
// back on.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

import type { AccountState } from "../exchange/accounts/account-state";
import {
  accountRecord,
  orderRecord,
  restoreState,
  sequencesOf,
  type ChangeRecorder,
  type DurableState,
  type ExchangeInternals,
} from "../exchange/durable-state";
import type { OrderState } from "../exchange/order";
import type { AccountId, MyTrade } from "../exchange/venue";
import { SnapshotWriter } from "./snapshot-writer";
import { StateDirError, journalName, listGenerations, loadStateDir, snapshotName } from "./state-files";

export interface StateStoreOptions {
  dir: string;
  /** How often queued changes are written (default 100 ms): what a SIGKILL can lose at most. */
  flushIntervalMs?: number;
  /** Journal size after which the next write is a fresh snapshot (default 32 MiB). */
  compactBytes?: number;
  /** A snapshot that could not be written (the journals still hold its state); default: to stderr. */
  onWriteError?: (error: Error) => void;
}

/** What writing costs, for the README and the benchmark. */
export interface StateStoreStats {
  batches: number;
  records: number;
  journalBytes: number;
  flushMsTotal: number;
  flushMsMax: number;
  snapshots: number;
  /** How long the last snapshot held up the exchange (the rest is written between its work). */
  lastSnapshotPauseMs: number;
  lastSnapshotMs: number;
  lastSnapshotBytes: number;
  loadMs: number;
}

const LOCK_FILE = "lock";
/** Ids skipped after a crash: far more than a flush interval can give out, far fewer than a safe integer holds. */
const CRASH_ID_GAP = 1_000_000;

export class StateStore implements ChangeRecorder {
  /** What loading had to skip or fall back from, naming the files (the CLI prints these). */
  readonly notes: string[];
  readonly stats: StateStoreStats;
  private readonly dir: string;
  private readonly flushIntervalMs: number;
  private readonly compactBytes: number;
  private loaded: DurableState | undefined;
  private generation: number;
  private journalFd: number | undefined;
  private journalBytes = 0;
  private internals: ExchangeInternals | undefined;
  private revokedKeys = new Set<string>();
  private readonly dirtyAccounts = new Set<AccountState>();
  private readonly dirtyOrders = new Set<OrderState>();
  private newTrades: [AccountId, MyTrade][] = [];
  private newRevocations: string[] = [];
  private lastSequences = "";
  private timer: NodeJS.Timeout | undefined;
  private writer: SnapshotWriter | undefined;
  private closed = false;
  private readonly onWriteError: (error: Error) => void;

  private constructor(
    options: StateStoreOptions,
    loaded: ReturnType<typeof loadStateDir>,
    loadMs: number,
    private readonly crashed: boolean,
  ) {
    this.dir = options.dir;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.compactBytes = options.compactBytes ?? 32 * 1024 * 1024;
    this.onWriteError = options.onWriteError ?? ((error) => console.error(`state: ${error.message}`));
    this.loaded = loaded.state;
    this.notes = loaded.notes;
    this.generation = loaded.lastGeneration;
    for (const key of loaded.state.revokedKeys) this.revokedKeys.add(key);
    this.stats = {
      batches: 0,
      records: 0,
      journalBytes: 0,
      flushMsTotal: 0,
      flushMsMax: 0,
      snapshots: 0,
      lastSnapshotPauseMs: 0,
      lastSnapshotMs: 0,
      lastSnapshotBytes: 0,
      loadMs,
    };
  }

  /** Takes the directory (one simulator at a time) and reads what it holds; throws StateDirError if unusable. */
  static open(options: StateStoreOptions): StateStore {
    mkdirSync(options.dir, { recursive: true });
    const crashed = lockDirectory(options.dir);
    try {
      const started = performance.now();
      const loaded = loadStateDir(options.dir);
      if (crashed) {
        loaded.notes.push(
          `${options.dir} was not closed cleanly (the simulator was killed): restored its last batch and skipped ${CRASH_ID_GAP} ids in every sequence`,
        );
      }
      return new StateStore(options, loaded, performance.now() - started, crashed);
    } catch (error) {
      rmSync(join(options.dir, LOCK_FILE), { force: true });
      throw error;
    }
  }

  /** Each symbol's last trade price in the saved state, where its synthetic market resumes. */
  savedPrices(): Record<string, string> {
    const prices: Record<string, string> = {};
    for (const [symbol, ids] of Object.entries(this.loaded?.sequences.symbols ?? {})) {
      if (typeof ids.lastPrice === "string") prices[symbol] = ids.lastPrice;
    }
    return prices;
  }

  /** API keys revoked in an earlier run (the server's key registry refuses them again). */
  savedRevokedKeys(): readonly string[] {
    return [...this.revokedKeys];
  }

  /**
   * Restores the saved state into a fresh exchange, then records its every change from now on. Call before the
   * exchange takes requests; `start()` then writes the first snapshot and starts the timer.
   */
  restoreInto(internals: ExchangeInternals): void {
    if (this.loaded) restoreState(internals, this.loaded, this.crashed ? CRASH_ID_GAP : 0);
    this.loaded = undefined;
    this.internals = internals;
  }

  start(): void {
    this.snapshot({ wait: true });
    this.timer = setInterval(() => this.flush(), this.flushIntervalMs);
  }

  accountChanged(account: AccountState): void {
    this.dirtyAccounts.add(account);
  }

  orderChanged(order: OrderState): void {
    this.dirtyOrders.add(order);
  }

  tradeRecorded(account: AccountState, trade: MyTrade): void {
    this.newTrades.push([account.id, trade]);
  }

  keyRevoked(apiKey: string): void {
    if (this.revokedKeys.has(apiKey)) return;
    this.revokedKeys.add(apiKey);
    this.newRevocations.push(apiKey);
  }

  /** Writes the queued changes as one committed batch (nothing if nothing changed); compacts a long journal. */
  flush(): void {
    if (this.closed || !this.internals) return;
    this.writeBatch();
    if (this.journalBytes >= this.compactBytes) this.snapshot();
  }

  /**
   * Starts a new generation: the queued changes go into the current journal (so the old generation is complete on
   * its own), the state is captured, and the journal continues in the new generation's file while the snapshot
   * is written beside it, in the background unless `wait`. Until its rename the old generation is what loads.
   */
  snapshot(options: { wait?: boolean } = {}): void {
    if (this.closed || !this.internals || this.writer) return;
    const started = performance.now();
    this.writeBatch();
    const generation = this.generation + 1;
    const writer = new SnapshotWriter(this.internals, this.revokedKeys, generation, join(this.dir, snapshotName(generation)));
    const journal = openSync(join(this.dir, journalName(generation)), "a");
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = journal;
    this.journalBytes = 0;
    this.lastSequences = JSON.stringify(sequencesOf(this.internals));
    this.generation = generation;
    this.stats.lastSnapshotPauseMs = performance.now() - started;
    const finished = (): void => {
      this.writer = undefined;
      // Kept to fall back on: the newest earlier snapshot that was not found damaged, and the journals after it.
      prune(this.dir, latestSnapshotBefore(this.dir, generation));
      this.stats.snapshots++;
      this.stats.lastSnapshotMs = performance.now() - started;
      this.stats.lastSnapshotBytes = writer.bytes;
    };
    if (options.wait) {
      writer.runToEnd();
      finished();
      return;
    }
    this.writer = writer;
    writer.runInBackground((error) => {
      if (error) {
        // The old generation and the journals after it still hold everything; the next compaction tries again.
        this.writer = undefined;
        this.onWriteError(new Error(`could not write ${writer.path}: ${error.message}`));
        return;
      }
      finished();
    });
  }

  private writeBatch(): void {
    if (!this.internals || this.journalFd === undefined) return;
    const started = performance.now();
    const sequences = JSON.stringify(sequencesOf(this.internals));
    const records = this.dirtyAccounts.size + this.dirtyOrders.size + this.newTrades.length + this.newRevocations.length;
    if (records === 0 && sequences === this.lastSequences) return;
    const lines: string[] = [];
    for (const account of this.dirtyAccounts) lines.push(JSON.stringify({ a: accountRecord(account) }));
    for (const order of this.dirtyOrders) lines.push(JSON.stringify({ o: orderRecord(order) }));
    for (const trade of this.newTrades) lines.push(JSON.stringify({ t: trade }));
    for (const key of this.newRevocations) lines.push(JSON.stringify({ r: key }));
    lines.push(`{"c":${sequences}}`);
    // One write per batch: the reader ignores whatever follows the last commit line.
    const bytes = writeSync(this.journalFd, `${lines.join("\n")}\n`);
    this.journalBytes += bytes;
    this.lastSequences = sequences;
    this.clearQueues();
    const ms = performance.now() - started;
    this.stats.batches++;
    this.stats.records += records;
    this.stats.journalBytes += bytes;
    this.stats.flushMsTotal += ms;
    this.stats.flushMsMax = Math.max(this.stats.flushMsMax, ms);
  }

  /** Writes what is queued and lets go of the directory. */
  close(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.writeBatch();
    // An unfinished snapshot is dropped: the journals since the last one hold its changes.
    this.writer?.abandon();
    this.writer = undefined;
    this.closed = true;
    if (this.journalFd !== undefined) {
      fsyncSync(this.journalFd);
      closeSync(this.journalFd);
      this.journalFd = undefined;
    }
    rmSync(join(this.dir, LOCK_FILE), { force: true });
  }

  private clearQueues(): void {
    this.dirtyAccounts.clear();
    this.dirtyOrders.clear();
    this.newTrades = [];
    this.newRevocations = [];
  }
}

function latestSnapshotBefore(dir: string, generation: number): number {
  return Math.max(0, ...listGenerations(dir).snapshots.filter((g) => g < generation));
}

/** Forgets generations older than `keepFrom` (the snapshot kept to fall back on, and its journals). */
function prune(dir: string, keepFrom: number): void {
  if (keepFrom <= 0) return;
  const { snapshots, journals } = listGenerations(dir);
  for (const g of snapshots) if (g < keepFrom) rmSync(join(dir, snapshotName(g)), { force: true });
  for (const g of journals) if (g < keepFrom) rmSync(join(dir, journalName(g)), { force: true });
}

/**
 * One simulator per directory: a `lock` file with the owner's pid, removed on close. A dead owner's lock is taken
 * over, and says the last run crashed (returns true).
 */
function lockDirectory(dir: string): boolean {
  const path = join(dir, LOCK_FILE);
  let crashed = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
      return crashed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new StateDirError(`state directory ${dir} is in use by process ${owner} (its ${path}); stop that simulator first`);
    }
    rmSync(path, { force: true });
    crashed = true;
  }
  throw new StateDirError(`could not lock state directory ${dir}: ${path} keeps reappearing`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
