// The engine's write-behind journal: the hot path appends records in memory and never waits on the database;
// a flush writes everything gathered since the last one in a single transaction. Records are coalesced (the
// newest snapshot of an order, the sum of KPI deltas per bot and minute, one market sample per bot and second). When a flush fails, why decides what
// happens next:
// - the database is away (connection lost, serialization conflict): the whole batch stays queued for the next
//   flush, so nothing is lost while Postgres is briefly gone;
// - the database refuses a record (a constraint violation, invalid data): retrying cannot cure that, so the batch
//   is written again entry by entry, each under a savepoint, and the refused ones are set aside (JournalFailure,
//   a `journal_record_failed` event, an error log with the record). No record can hold the others back.
// Fills are recorded exactly once per trade id within their order, however often they are reported.
import { Prisma, type PrismaClient } from "@bandkeeper/db/client";
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
import { batchOf, entriesOf, writeBatch, writeEntry, type JournalBatch } from "./journal-writes";
import type { MarketSampleRecord } from "./market-recorder";

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

/** A large batch after an outage, on a loaded machine, needs longer than Prisma's 5 s default... */
const BATCH_TRANSACTION = { timeout: 60_000 } as const;
/** ...and taking one apart longer still: a timeout would read as "database away" and retry the same batch. */
const APART_TRANSACTION = { timeout: 180_000 } as const;
/** Events are the one record a bot can emit without bound (state flapping): a flush takes at most this many. */
const MAX_EVENTS_PER_FLUSH = 5_000;

export class EngineJournal {
  private orders = new Map<string, OrderRecord>();
  private fills: FillRecord[] = [];
  private events: BotEventRecord[] = [];
  private states = new Map<string, BotStateRecord>();
  private kpis = new Map<string, KpiDelta>();
  private appliedVersions = new Map<string, Date>();
  private snapshots = new Map<string, MarketSnapshotRecord>();
  /** Market samples per bot and second (market-recorder.ts). */
  private samples = new Map<string, MarketSampleRecord>();
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

  recordMarketSample(sample: MarketSampleRecord): void {
    this.samples.set(sampleKey(sample), sample);
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
      this.snapshots.size +
      this.samples.size
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
    const { batch, complete } = this.take();
    try {
      await this.prisma.$transaction((tx) => writeBatch(tx, batch), BATCH_TRANSACTION);
      this.caughtUp(takenAt, complete);
      return;
    } catch (error) {
      const failure = classifyWriteError(error);
      if (failure.kind === "transient") {
        this.requeue(entriesOf(batch));
        this.flushFailed(failure);
        throw error;
      }
    }
    // Something in the batch was refused: take it apart so the rest lands.
    const apart: WrittenApart = { kept: [], keptOrders: new Set(), keptBecause: undefined, setAside: 0 };
    try {
      await this.prisma.$transaction((tx) => this.writeApart(tx, entriesOf(batch), apart, 0), APART_TRANSACTION);
    } catch (error) {
      this.requeue(entriesOf(batch));
      this.flushFailed(classifyWriteError(error));
      throw error;
    }
    this.stats.setAside += apart.setAside;
    if (apart.kept.length === 0) {
      this.caughtUp(takenAt, complete);
      return;
    }
    this.requeue(apart.kept);
    this.flushFailed(apart.keptBecause!);
    throw new Error(`journal kept ${apart.kept.length} records for the next flush: ${apart.keptBecause!.message}`);
  }

  /**
   * Halves of the batch under savepoints, split again where they fail, until each refused entry is alone: one
   * refused record among n costs about 2 log2(n) partial writes, not a savepoint per entry. Refused entries are set
   * aside, doubtful ones kept; a lost connection aborts the whole transaction.
   */
  private async writeApart(tx: Prisma.TransactionClient, entries: JournalEntry[], apart: WrittenApart, depth: number): Promise<void> {
    // The whole batch has just failed: start with its halves.
    if (depth > 0 && entries.length > 1) {
      const savepoint = Prisma.raw(`journal_part_${depth}`);
      await tx.$executeRaw`SAVEPOINT ${savepoint}`;
      try {
        await writeBatch(tx, batchOf(entries));
        await tx.$executeRaw`RELEASE SAVEPOINT ${savepoint}`;
        return;
      } catch (error) {
        if (classifyWriteError(error).kind === "transient") throw error;
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT ${savepoint}`;
      }
    }
    if (entries.length === 1) return this.writeAlone(tx, entries[0]!, apart);
    // Orders come first, so an order is always written before the part holding its fills.
    const middle = Math.ceil(entries.length / 2);
    await this.writeApart(tx, entries.slice(0, middle), apart, depth + 1);
    await this.writeApart(tx, entries.slice(middle), apart, depth + 1);
  }

  private async writeAlone(tx: Prisma.TransactionClient, entry: JournalEntry, apart: WrittenApart): Promise<void> {
    await tx.$executeRaw`SAVEPOINT journal_entry`;
    try {
      await writeEntry(tx, entry);
      await tx.$executeRaw`RELEASE SAVEPOINT journal_entry`;
      return;
    } catch (error) {
      const failure = classifyWriteError(error);
      if (failure.kind === "transient") throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT journal_entry`;
      // A fill waits with its order when the order is kept for another try.
      const waitsForOrder = entry.kind === "fill" && apart.keptOrders.has(`${entry.record.exchangeAccountId}/${entry.record.clientOrderId}`);
      if (failure.kind === "unknown" || waitsForOrder) {
        apart.kept.push(entry);
        if (entry.kind === "order") apart.keptOrders.add(orderKey(entry.record));
        apart.keptBecause = failure;
        return;
      }
      const result = await setAside(tx, entry, failure);
      apart.setAside += 1;
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

  /** Everything queued, but at most MAX_EVENTS_PER_FLUSH events; `complete` when nothing was left behind. */
  private take(): { batch: JournalBatch; complete: boolean } {
    const events = this.events.length > MAX_EVENTS_PER_FLUSH ? this.events.splice(0, MAX_EVENTS_PER_FLUSH) : this.events;
    const complete = events === this.events;
    const batch: JournalBatch = {
      orders: [...this.orders.values()],
      fills: this.fills,
      events,
      states: [...this.states.values()],
      kpis: [...this.kpis.values()],
      applied: [...this.appliedVersions.entries()].map(([configVersionId, at]) => ({ configVersionId, at })),
      snapshots: [...this.snapshots.values()],
      samples: [...this.samples.values()],
    };
    this.orders = new Map();
    this.fills = [];
    if (complete) this.events = [];
    this.states = new Map();
    this.kpis = new Map();
    this.appliedVersions = new Map();
    this.snapshots = new Map();
    this.samples = new Map();
    return { batch, complete };
  }

  private caughtUp(takenAt: Date, complete: boolean): void {
    this.stats.flushes += 1;
    if (complete) this.stats.caughtUpAt = takenAt;
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
        case "sample": {
          const key = sampleKey(entry.record);
          if (!this.samples.has(key)) this.samples.set(key, entry.record);
          break;
        }
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
  /** Orders among them, whose fills wait with them. */
  keptOrders: Set<string>;
  keptBecause: WriteError | undefined;
  setAside: number;
}

function sampleKey(sample: MarketSampleRecord): string {
  return `${sample.botId}/${sample.time.getTime()}`;
}
