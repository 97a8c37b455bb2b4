// The state directory's files and how to read them back. A generation N is `snapshot-N.json` (the whole
// durable state, written to a temporary file and renamed into place) followed by `journal-N.jsonl` (batches of
// changed records, each closed by a commit line carrying the id sequences). Reading takes the newest snapshot
// that parses, then every journal from its generation on, batch by batch up to the last commit.
import { readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";

import {
  DurableState,
  checkAccountRecord,
  checkOrderRecord,
  checkSequences,
  checkTrade,
  type AccountRecord,
  type OrderRecord,
  type Sequences,
} from "../exchange/durable-state";
import type { AccountId, MyTrade } from "../exchange/venue";

export const SNAPSHOT_FORMAT = "bandkeeper-exchange-sim-state";
export const SNAPSHOT_VERSION = 1;

export interface SnapshotFile {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  generation: number;
  savedAt: number;
  sequences: Sequences;
  accounts: AccountRecord[];
  orders: OrderRecord[];
  /** Each account's trades, oldest first per account and symbol. */
  trades: [AccountId, MyTrade][];
  revokedKeys: string[];
}

/** One journal line: an account, an order, a trade of an account, a revoked key, or the commit of a batch. */
export type JournalRecord =
  | { a: AccountRecord }
  | { o: OrderRecord }
  | { t: [AccountId, MyTrade] }
  | { r: string }
  | { c: Sequences };

export const snapshotName = (generation: number): string => `snapshot-${String(generation).padStart(6, "0")}.json`;
export const journalName = (generation: number): string => `journal-${String(generation).padStart(6, "0")}.jsonl`;

/** A state directory that cannot be used as it is; the message names the file and what is wrong. */
export class StateDirError extends Error {}

export interface LoadedState {
  state: DurableState;
  /** The generation the state was read from (0: nothing saved yet). */
  snapshotGeneration: number;
  /** The highest generation of any file read, so the next snapshot gets a new number. */
  lastGeneration: number;
  /** What the reader had to skip or fall back from, one sentence each, naming the file. */
  notes: string[];
}

interface DirectoryListing {
  snapshots: number[];
  journals: number[];
}

export function listGenerations(dir: string): DirectoryListing {
  const snapshots: number[] = [];
  const journals: number[] = [];
  for (const name of readdirSync(dir)) {
    const snapshot = /^snapshot-(\d+)\.json$/.exec(name);
    if (snapshot?.[1]) snapshots.push(Number(snapshot[1]));
    const journal = /^journal-(\d+)\.jsonl$/.exec(name);
    if (journal?.[1]) journals.push(Number(journal[1]));
  }
  return { snapshots: snapshots.sort((a, b) => a - b), journals: journals.sort((a, b) => a - b) };
}

/**
 * Reads the directory's state. A snapshot that does not parse is renamed to `<name>.corrupt` (kept for a look,
 * never read again) and the previous one is used with the journals after it; with none readable at all it
 * refuses, rather than start an empty exchange that forgets every account.
 */
export function loadStateDir(dir: string): LoadedState {
  const notes: string[] = [];
  const { snapshots, journals } = listGenerations(dir);
  let state = new DurableState();
  let snapshotGeneration = 0;
  const failed: string[] = [];
  for (const generation of [...snapshots].reverse()) {
    const file = join(dir, snapshotName(generation));
    try {
      state = readSnapshot(file, generation);
      snapshotGeneration = generation;
      break;
    } catch (error) {
      const reason = (error as Error).message;
      failed.push(`${file}: ${reason}`);
      renameSync(file, `${file}.corrupt`);
    }
  }
  if (failed.length > 0 && snapshotGeneration === 0) {
    throw new StateDirError(
      `no readable snapshot in ${dir} (${failed.join("; ")}); the unreadable files were renamed to *.corrupt. ` +
        `Restore a copy of the directory, or move it away to start an empty simulator.`,
    );
  }
  for (const problem of failed) {
    notes.push(`state file ${problem}; renamed it to *.corrupt and used ${join(dir, snapshotName(snapshotGeneration))}`);
  }

  const chain = journals.filter((generation) => generation >= snapshotGeneration);
  for (const generation of chain) {
    const file = join(dir, journalName(generation));
    const outcome = replayJournal(file, state);
    if (outcome.note) notes.push(outcome.note);
    if (outcome.corrupt) break;
  }
  const lastGeneration = Math.max(0, ...snapshots, ...journals);
  return { state, snapshotGeneration, lastGeneration, notes };
}

function readSnapshot(file: string, generation: number): DurableState {
  let parsed: SnapshotFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as SnapshotFile;
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message}): the file is truncated or damaged`);
  }
  if (parsed?.format !== SNAPSHOT_FORMAT) throw new Error(`not a simulator state file (format ${String(parsed?.format)})`);
  if (parsed.version !== SNAPSHOT_VERSION) throw new Error(`state format version ${parsed.version}, this simulator reads ${SNAPSHOT_VERSION}`);
  if (parsed.generation !== generation) throw new Error(`says generation ${parsed.generation}, its name says ${generation}`);
  if (!Array.isArray(parsed.accounts) || !Array.isArray(parsed.orders) || !Array.isArray(parsed.trades)) {
    throw new Error("lacks accounts, orders or trades");
  }
  const state = new DurableState();
  state.sequences = checkSequences(parsed.sequences);
  for (const account of parsed.accounts) state.accounts.set(account.id, checkAccountRecord(account));
  for (const order of parsed.orders) state.putOrder(checkOrderRecord(order));
  for (const entry of parsed.trades) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string") throw new Error("a trade entry is not [accountId, trade]");
    state.addTrade(entry[0], checkTrade(entry[1]));
  }
  for (const key of parsed.revokedKeys ?? []) state.revokedKeys.add(key);
  return state;
}

/** Applies a journal's committed batches; stops at a damaged line, keeping the state of the batch before it. */
function replayJournal(file: string, state: DurableState): { note?: string; corrupt: boolean } {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  let batch: JournalRecord[] = [];
  let batchStartLine = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "") continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      const isTail = lines.slice(i + 1).every((rest) => rest === "");
      if (isTail) return { note: `${file}: ignored an unfinished batch at its end (lines ${batchStartLine}-${i + 1}), written when the process was killed`, corrupt: false };
      return {
        note: `state file ${file} is damaged at line ${i + 1}; used the state up to the batch before it (line ${batchStartLine - 1}) and ignored the rest`,
        corrupt: true,
      };
    }
    if ("c" in record) {
      try {
        applyBatch(state, batch, checkSequences(record.c));
      } catch (error) {
        return { note: `state file ${file} has a malformed record in lines ${batchStartLine}-${i + 1} (${(error as Error).message}); used the state before it`, corrupt: true };
      }
      batch = [];
      batchStartLine = i + 2;
    } else {
      batch.push(record);
    }
  }
  if (batch.length > 0) {
    return { note: `${file}: ignored an uncommitted batch at its end (lines ${batchStartLine}-${lines.length}), written when the process was killed`, corrupt: false };
  }
  return { corrupt: false };
}

function applyBatch(state: DurableState, batch: readonly JournalRecord[], sequences: Sequences): void {
  // Checked as a whole first, so a bad record leaves the state as it was before the batch.
  for (const record of batch) {
    if ("a" in record) checkAccountRecord(record.a);
    else if ("o" in record) checkOrderRecord(record.o);
    else if ("t" in record) checkTrade(record.t[1]);
    else if (!("r" in record)) throw new Error("unknown record");
  }
  for (const record of batch) {
    if ("a" in record) state.accounts.set(record.a.id, record.a);
    else if ("o" in record) state.putOrder(record.o);
    else if ("t" in record) state.addTrade(record.t[0], record.t[1]);
    else if ("r" in record) state.revokedKeys.add(record.r);
  }
  state.sequences = sequences;
}
