// The engine's write-behind journal: the hot path appends records in memory and never waits on the database;
// a flush writes everything gathered since the last one in a single transaction. Records are coalesced (the
// newest snapshot of an order, the sum of KPI deltas per bot and minute). When a flush fails, why decides what
// happens next:
// - the database is away (connection lost, serialization conflict): the whole batch stays queued for the next
//   flush, so nothing is lost while Postgres is briefly gone;
// - the database refuses a record (a constraint violation, invalid data): retrying cannot cure that, so the batch
//   is written again entry by entry, each under a savepoint, and the refused ones are set aside (JournalFailure,
//   a `journal_record_failed` event, an error log with the record). No record can hold the others back.
// Fills are recorded exactly once per trade id within their order, however often they are reported.
import type { Prisma, PrismaClient } from "@bandkeeper/db/client";
import type { Logger } from "../observability/log";
import { classifyWriteError, setAside, type WriteError } from "./journal-failures";
import {
  addKpis,
  orderKey,
  type BotEventRecord,
  type BotStateRecord,
  type FillRecord,
  type JournalEntry,
  type KpiDelta,
  type MarketSnapshotRecord,
  type OrderRecord,
} from "./journal-records";
import { entriesOf, writeBatch, writeEntry, type JournalBatch } from "./journal-writes";

export * from "./journal-records";
export { RECORD_FAILED_EVENT } from "./journal-failures";

export interface JournalStats {
  flushes: number;
  failedFlushes: number;
  pending: number;
  lastError: string | undefined;
  lastErrorAt: Date | undefined;
  /** Every record recorded before this time has been written (or set aside); it stands still while flushes fail. */
  caughtUpAt: Date;
  /** Records the database refused for good, kept in JournalFailure instead. */
  setAside: number;
}

export interface JournalOptions {
  /** Where refused records are logged, with their content. */
  logger?: Logger | undefined;
}

/** A large batch after an outage, taken apart entry by entry, needs longer than Prisma's 5 s default. */
const TRANSACTION = { timeout: 30_000 } as const;

export class EngineJournal {
  private orders = new Map<string, OrderRecord>();
  private fills: FillRecord[] = [];
  private events: BotEventRecord[] = [];
  private states = new Map<string, BotStateRecord>();
  private kpis = new Map<string, KpiDelta>();
  private appliedVersions = new Map<string, Date>();
  private snapshots = new Map<string, MarketSnapshotRecord>();
  /** The latest flush; each flush starts after the one before it, so flushes never overlap. */
  private lastFlush: Promise<void> = Promise.resolve();
  private readonly stats: Omit<JournalStats, "pending"> = {
    flushes: 0,
    failedFlushes: 0,
    lastError: undefined,
    lastErrorAt: undefined,
    caughtUpAt: new Date(),
    setAside: 0,
  };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: JournalOptions = {},
  ) {}

  recordOrder(order: OrderRecord): void {
    this.orders.set(orderKey(order), order);
  }

  recordFill(fill: FillRecord): void {
    this.fills.push(fill);
  }

  recordEvent(event: BotEventRecord): void {
    this.events.push(event);
  }

  recordState(state: BotStateRecord): void {
    this.states.set(state.botId, state);
  }

  recordConfigApplied(configVersionId: string, at: Date): void {
    this.appliedVersions.set(configVersionId, at);
  }

  recordMarketSnapshot(snapshot: MarketSnapshotRecord): void {
    this.snapshots.set(snapshot.botId, snapshot);
  }

  recordKpis(delta: KpiDelta): void {
    const key = `${delta.botId}/${delta.minute.getTime()}`;
    const existing = this.kpis.get(key);
    this.kpis.set(key, existing ? addKpis(existing, delta) : { ...delta, latencyHistogram: [...delta.latencyHistogram] });
  }

  get pending(): number {
    return (
      this.orders.size +
      this.fills.length +
      this.events.length +
      this.states.size +
      this.kpis.size +
      this.appliedVersions.size +
      this.snapshots.size
    );
  }

  getStats(): JournalStats {
    return { ...this.stats, pending: this.pending };
  }

  /**
   * Writes everything recorded before this call, after any flush already under way. Rejects when records had to
   * stay queued (they are written by a later flush); records set aside do not make it reject.
   */
  flush(): Promise<void> {
    const flush = this.lastFlush.catch(() => undefined).then(() => this.writePending());
    this.lastFlush = flush;
    return flush;
  }

  private async writePending(): Promise<void> {
    const takenAt = new Date();
    if (this.pending === 0) {
      this.stats.caughtUpAt = takenAt;
      return;
    }
    const batch = this.take();
    try {
      await this.prisma.$transaction((tx) => writeBatch(tx, batch), TRANSACTION);
      this.caughtUp(takenAt);
      return;
    } catch (error) {
      const failure = classifyWriteError(error);
      if (failure.kind === "transient") {
        this.requeue(entriesOf(batch));
        this.flushFailed(failure);
        throw error;
      }
    }
    // Something in the batch was refused: write it entry by entry so the rest lands.
    let apart: WrittenApart;
    try {
      apart = await this.prisma.$transaction((tx) => this.writeApart(tx, entriesOf(batch)), TRANSACTION);
    } catch (error) {
      this.requeue(entriesOf(batch));
      this.flushFailed(classifyWriteError(error));
      throw error;
    }
    this.stats.setAside += apart.setAside;
    if (apart.kept.length === 0) {
      this.caughtUp(takenAt);
      return;
    }
    this.requeue(apart.kept);
    this.flushFailed(apart.keptBecause!);
    throw new Error(`journal kept ${apart.kept.length} records for the next flush: ${apart.keptBecause!.message}`);
  }

  /** Each entry under a savepoint: refused ones are set aside, doubtful ones kept; a lost connection aborts all. */
  private async writeApart(tx: Prisma.TransactionClient, entries: JournalEntry[]): Promise<WrittenApart> {
    const kept: JournalEntry[] = [];
    const keptOrders = new Set<string>();
    let keptBecause: WriteError | undefined;
    let setAsideCount = 0;
    for (const entry of entries) {
      await tx.$executeRaw`SAVEPOINT journal_entry`;
      try {
        await writeEntry(tx, entry);
        await tx.$executeRaw`RELEASE SAVEPOINT journal_entry`;
        continue;
      } catch (error) {
        const failure = classifyWriteError(error);
        if (failure.kind === "transient") throw error;
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT journal_entry`;
        // A fill waits with its order when the order is kept for another try.
        const waitsForOrder = entry.kind === "fill" && keptOrders.has(`${entry.record.exchangeAccountId}/${entry.record.clientOrderId}`);
        if (failure.kind === "unknown" || waitsForOrder) {
          kept.push(entry);
          if (entry.kind === "order") keptOrders.add(orderKey(entry.record));
          keptBecause = failure;
          continue;
        }
        const result = await setAside(tx, entry, failure);
        setAsideCount += 1;
        this.noteError(failure);
        this.options.logger?.error("journal record refused by the database; set aside", {
          kind: result.kind,
          recordKey: result.recordKey,
          bot: result.botId,
          code: failure.code,
          error: failure.message,
          record: entry.record,
          stored: result.stored,
          eventRaised: result.eventRaised,
        });
      }
    }
    return { kept, keptBecause, setAside: setAsideCount };
  }

  private take(): JournalBatch {
    const batch: JournalBatch = {
      orders: [...this.orders.values()],
      fills: this.fills,
      events: this.events,
      states: [...this.states.values()],
      kpis: [...this.kpis.values()],
      applied: [...this.appliedVersions.entries()].map(([configVersionId, at]) => ({ configVersionId, at })),
      snapshots: [...this.snapshots.values()],
    };
    this.orders = new Map();
    this.fills = [];
    this.events = [];
    this.states = new Map();
    this.kpis = new Map();
    this.appliedVersions = new Map();
    this.snapshots = new Map();
    return batch;
  }

  private caughtUp(takenAt: Date): void {
    this.stats.flushes += 1;
    this.stats.caughtUpAt = takenAt;
  }

  /** The flush rejects: records stay queued. */
  private flushFailed(failure: WriteError): void {
    this.stats.failedFlushes += 1;
    this.noteError(failure);
  }

  private noteError(failure: WriteError): void {
    this.stats.lastError = failure.code === null ? failure.message : `${failure.code}: ${failure.message}`;
    this.stats.lastErrorAt = new Date();
  }

  /** Puts entries of a failed flush back; newer records gathered meanwhile win over their older snapshots. */
  private requeue(entries: readonly JournalEntry[]): void {
    const fills: FillRecord[] = [];
    const events: BotEventRecord[] = [];
    for (const entry of entries) {
      switch (entry.kind) {
        case "order": {
          const key = orderKey(entry.record);
          if (!this.orders.has(key)) this.orders.set(key, entry.record);
          break;
        }
        case "fill":
          fills.push(entry.record);
          break;
        case "event":
          events.push(entry.record);
          break;
        case "state":
          if (!this.states.has(entry.record.botId)) this.states.set(entry.record.botId, entry.record);
          break;
        case "kpi":
          this.recordKpis(entry.record);
          break;
        case "snapshot":
          if (!this.snapshots.has(entry.record.botId)) this.snapshots.set(entry.record.botId, entry.record);
          break;
        case "config":
          if (!this.appliedVersions.has(entry.record.configVersionId)) this.appliedVersions.set(entry.record.configVersionId, entry.record.at);
          break;
      }
    }
    this.fills = [...fills, ...this.fills];
    this.events = [...events, ...this.events];
  }
}

interface WrittenApart {
  /** Entries whose failure was neither clearly transient nor clearly the record's: tried again next flush. */
  kept: JournalEntry[];
  keptBecause: WriteError | undefined;
  setAside: number;
}
