// Telling a write that retrying can cure (the database away, a serialization conflict) from one it cannot (a
// constraint violation, invalid data), and setting the second kind aside: a JournalFailure row holding the record
// and a `journal_record_failed` event for its bot, both in the flush's own transaction.
import { createHash, randomUUID } from "node:crypto";
import { Prisma } from "@bandkeeper/db/client";
import { orderKey, type JournalEntry, type JournalEntryKind } from "./journal-records";

/** A record the journal itself refuses (a fill whose order is not journaled): as final as a constraint violation. */
export class JournalRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalRecordError";
  }
}

/**
 * - `transient`: nothing can land now (connection lost, serialization conflict, server shutting down); keep the
 *   whole batch for the next flush.
 * - `record`: this record can never be written as it is; set it aside so the others land.
 * - `unknown`: neither is certain (e.g. a schema error); keep the record queued, but let the others land.
 */
export type WriteFailureKind = "transient" | "record" | "unknown";

export interface WriteError {
  /** The SQLSTATE, when the database gave one. */
  code: string | null;
  message: string;
  kind: WriteFailureKind;
}

/** SQLSTATE classes: 22 data exception, 23 integrity constraint violation, 54 program limit exceeded. */
const RECORD_CLASSES = new Set(["22", "23", "54"]);
/** 08 connection, 40 transaction rollback, 53 insufficient resources, 57 operator intervention, 58 system error. */
const TRANSIENT_CLASSES = new Set(["08", "40", "53", "57", "58"]);
/** Prisma's own codes for refused values and constraints, when no SQLSTATE comes with them. */
const PRISMA_RECORD_CODES = new Set(["P2000", "P2002", "P2003", "P2004", "P2011", "P2012", "P2019", "P2020"]);

export function classifyWriteError(error: unknown): WriteError {
  if (error instanceof JournalRecordError) return { code: null, message: error.message, kind: "record" };
  // The client refused the value before sending it (a wrong enum value, a wrong type).
  if (error instanceof Prisma.PrismaClientValidationError) return { code: null, message: firstLine(error.message), kind: "record" };
  const cause = driverCause(error);
  const code = typeof cause?.originalCode === "string" ? cause.originalCode : sqlStateOf(error);
  const message =
    typeof cause?.originalMessage === "string" ? cause.originalMessage : error instanceof Error ? lastLine(error.message) : String(error);
  if (code !== null) {
    const sqlClass = code.slice(0, 2);
    const kind = RECORD_CLASSES.has(sqlClass) ? "record" : TRANSIENT_CLASSES.has(sqlClass) ? "transient" : "unknown";
    return { code, message, kind };
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && PRISMA_RECORD_CODES.has(error.code)) {
    return { code: null, message, kind: "record" };
  }
  // No SQLSTATE: the server unreachable, a socket closed, a transaction timed out.
  return { code: null, message, kind: "transient" };
}

interface DriverCause {
  originalCode?: unknown;
  originalMessage?: unknown;
}

/** Prisma's driver adapters carry Postgres' own error under meta.driverAdapterError.cause. */
function driverCause(error: unknown): DriverCause | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const adapterError = (error.meta as { driverAdapterError?: { cause?: DriverCause } } | undefined)?.driverAdapterError;
  return adapterError?.cause;
}

/** A pg DatabaseError thrown directly carries the SQLSTATE as `code`. */
function sqlStateOf(error: unknown): string | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return null;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

function firstLine(message: string): string {
  return message.trim().split("\n").find((line) => line.trim() !== "" && !line.startsWith("Invalid `"))?.trim() ?? message;
}

function lastLine(message: string): string {
  return message.trim().split("\n").at(-1)?.trim() ?? message;
}

export interface EntryIdentity {
  kind: JournalEntryKind;
  /** Superseding records (an order's snapshot, a bot's state) keep their identity; additive ones get one each. */
  recordKey: string;
  botId: string | null;
}

export function identityOf(entry: JournalEntry): EntryIdentity {
  switch (entry.kind) {
    case "order":
      return { kind: "order", recordKey: orderKey(entry.record), botId: entry.record.botId };
    case "fill": {
      const { exchangeAccountId, clientOrderId, tradeId } = entry.record;
      return { kind: "fill", recordKey: `${exchangeAccountId}/${clientOrderId ?? "-"}/${tradeId}`, botId: entry.record.botId };
    }
    case "event": {
      // The same event reported twice is one record; two different events at one time are two.
      const digest = createHash("sha256").update(JSON.stringify(entry.record)).digest("hex").slice(0, 16);
      return { kind: "event", recordKey: `${entry.record.botId}/${entry.record.type}/${entry.record.time.toISOString()}/${digest}`, botId: entry.record.botId };
    }
    case "state":
      return { kind: "state", recordKey: entry.record.botId, botId: entry.record.botId };
    case "kpi":
      // Deltas add up: each refused one is kept on its own, never merged into another.
      return { kind: "kpi", recordKey: `${entry.record.botId}/${entry.record.minute.toISOString()}/${randomUUID()}`, botId: entry.record.botId };
    case "snapshot":
      return { kind: "snapshot", recordKey: entry.record.botId, botId: entry.record.botId };
    case "sample":
      // One failure row per bot, not one per second: a bot that is gone refuses every sample alike.
      return { kind: "sample", recordKey: entry.record.botId, botId: entry.record.botId };
    case "config":
      return { kind: "config", recordKey: entry.record.configVersionId, botId: null };
  }
}

export interface SetAside extends EntryIdentity {
  error: WriteError;
  /** False when even the JournalFailure row could not be written: then the log line is the only copy. */
  stored: boolean;
  /** Whether a `journal_record_failed` event was written (once per record, on its first failure). */
  eventRaised: boolean;
}

export const RECORD_FAILED_EVENT = "journal_record_failed";

/**
 * Keeps a refused record in JournalFailure and, on its first failure, raises a `journal_record_failed` event for
 * its bot. Each write runs under a savepoint of its own: a record refused because its bot is gone cannot have an
 * event either, and that must not undo the rest of the flush.
 */
export async function setAside(tx: Prisma.TransactionClient, entry: JournalEntry, error: WriteError): Promise<SetAside> {
  const identity = identityOf(entry);
  const { kind, recordKey, botId } = identity;
  const message = clean(error.message);
  const rows = await underSavepoint(tx, "journal_failure", () =>
    tx.$queryRaw<{ id: string; inserted: boolean }[]>`
      INSERT INTO "JournalFailure" (id, kind, "recordKey", "botId", code, error, record, failures, "firstFailedAt", "lastFailedAt")
      VALUES (gen_random_uuid()::text, ${kind}, ${recordKey}, ${botId}, ${error.code}, ${message},
        ${recordJson(entry)}::jsonb, 1, now(), now())
      ON CONFLICT (kind, "recordKey") DO UPDATE SET code = EXCLUDED.code, error = EXCLUDED.error,
        record = EXCLUDED.record, failures = "JournalFailure".failures + 1, "lastFailedAt" = now()
      RETURNING id, (xmax = 0) AS inserted`,
  );
  const row = rows?.[0];
  let eventRaised = false;
  if (botId !== null && (row === undefined || row.inserted)) {
    const reason = `${kind} ${recordKey} could not be journaled: ${message}`;
    const data = JSON.stringify({ kind, recordKey, code: error.code, failureId: row?.id ?? null });
    const written = await underSavepoint(tx, "journal_failure_event", () =>
      tx.$executeRaw`
        INSERT INTO "BotEvent" (id, "botId", time, type, reason, data)
        VALUES (gen_random_uuid()::text, ${botId}, now(), ${RECORD_FAILED_EVENT}, ${reason}, ${data}::jsonb)`,
    );
    eventRaised = written !== undefined;
  }
  return { ...identity, error, stored: row !== undefined, eventRaised };
}

/** Runs one statement under a savepoint; a refusal rolls back to it and yields undefined, other errors propagate. */
export async function underSavepoint<T>(tx: Prisma.TransactionClient, name: string, write: () => Promise<T>): Promise<T | undefined> {
  const savepoint = Prisma.raw(name);
  await tx.$executeRaw`SAVEPOINT ${savepoint}`;
  try {
    const result = await write();
    await tx.$executeRaw`RELEASE SAVEPOINT ${savepoint}`;
    return result;
  } catch (error) {
    if (classifyWriteError(error).kind === "transient") throw error;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT ${savepoint}`;
    return undefined;
  }
}

/** The record as JSON Postgres accepts: text columns and jsonb hold neither NUL nor lone surrogates. */
export function recordJson(entry: JournalEntry): string {
  return JSON.stringify(entry.record, (_key, value: unknown) => (typeof value === "string" ? clean(value) : value));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
}
