import { describe, expect, it } from "vitest";
import { combineJournalHealth, engineHealth, type EngineJournalHealth } from "../src/lib/engine-health";

const serverTime = new Date("2026-03-01T12:00:00.000Z");
const ago = (ms: number) => new Date(serverTime.getTime() - ms);
const writing: EngineJournalHealth = { pending: 3, behindMs: 250, lastError: null, lastErrorAt: null, setAside: 0 };

describe("the engine tile's health", () => {
  it("is healthy only with a fresh heartbeat and a journal that keeps up", () => {
    expect(engineHealth(ago(800), writing, serverTime)).toEqual({ kind: "healthy", ageMs: 800, setAside: 0 });
    expect(engineHealth(null, null, serverTime)).toEqual({ kind: "none" });
    expect(engineHealth(ago(9_000), writing, serverTime)).toEqual({ kind: "stale", ageMs: 9_000 });
  });

  it("says the journal is behind when the engine lives but nothing reaches Postgres (the incident: 332 failures in 90 s)", () => {
    const failing = { pending: 332, behindMs: 90_000, lastError: "23505: duplicate key value", lastErrorAt: ago(200), setAside: 0 };
    expect(engineHealth(ago(500), failing, serverTime)).toEqual({
      kind: "journal-behind",
      ageMs: 500,
      behindMs: 90_000,
      pending: 332,
      lastError: "23505: duplicate key value",
    });
  });

  it("stays healthy with records set aside, and counts them", () => {
    expect(engineHealth(ago(500), { ...writing, setAside: 2, lastError: "refused" }, serverTime)).toEqual({ kind: "healthy", ageMs: 500, setAside: 2 });
  });

  it("combines engines: the worst lag, the newest error, the totals", () => {
    const engine = (caughtUpMsBeforeHeartbeat: number | null, error: [string, number] | null, pending: number, setAside: number) => ({
      heartbeatAt: ago(1_000),
      journalPending: pending,
      journalCaughtUpAt: caughtUpMsBeforeHeartbeat === null ? null : ago(1_000 + caughtUpMsBeforeHeartbeat),
      journalLastError: error?.[0] ?? null,
      journalLastErrorAt: error ? ago(error[1]) : null,
      journalSetAside: setAside,
    });
    expect(combineJournalHealth([])).toBeNull();
    expect(combineJournalHealth([engine(200, ["old", 60_000], 1, 1), engine(12_000, ["new", 2_000], 40, 0), engine(null, null, 0, 2)])).toEqual({
      pending: 41,
      behindMs: 12_000,
      lastError: "new",
      lastErrorAt: ago(2_000),
      setAside: 3,
    });
  });
});
