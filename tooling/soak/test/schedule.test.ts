import { describe, expect, it } from "vitest";
import { buildSchedule, FAULT_KINDS, QUIET_TAIL_MS, ScheduleError, type ScheduleOptions } from "../src/schedule";

const options = (overrides: Partial<ScheduleOptions> = {}): ScheduleOptions => ({
  durationMs: 10 * 60_000,
  seed: 42,
  engines: 2,
  leaseTtlMs: 6_000,
  ...overrides,
});

describe("buildSchedule", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(buildSchedule(options())).toEqual(buildSchedule(options()));
    expect(buildSchedule(options({ seed: 43 }))).not.toEqual(buildSchedule(options()));
  });

  it.each([
    { minutes: 2, rounds: 1 },
    { minutes: 10, rounds: 2 },
    { minutes: 30, rounds: 6 },
  ])("a $minutes-minute run injects every kind $rounds time(s)", ({ minutes, rounds }) => {
    const schedule = buildSchedule(options({ durationMs: minutes * 60_000 }));
    for (const kind of FAULT_KINDS) expect(schedule.filter((fault) => fault.kind === kind)).toHaveLength(rounds);
  });

  it("ends every fault before the quiet tail and keeps faults of one kind apart", () => {
    for (const seed of [1, 2, 3, 99, 12345]) {
      const durationMs = 10 * 60_000;
      const schedule = buildSchedule(options({ seed, durationMs }));
      for (const fault of schedule) {
        expect(fault.atMs).toBeGreaterThan(0);
        expect(fault.atMs + fault.durationMs).toBeLessThanOrEqual(durationMs - QUIET_TAIL_MS);
      }
      for (const kind of FAULT_KINDS) {
        const ofKind = schedule.filter((fault) => fault.kind === kind);
        ofKind.slice(1).forEach((fault, i) => expect(fault.atMs).toBeGreaterThan((ofKind[i]?.atMs ?? 0) + (ofKind[i]?.durationMs ?? 0)));
      }
    }
  });

  it("kills the engines in turn and lets a killed engine's bots move within the lease TTL", () => {
    const kills = buildSchedule(options({ durationMs: 30 * 60_000 })).filter((fault) => fault.kind === "engineKill");
    expect(kills.map((kill) => kill.engine)).toEqual([0, 1, 0, 1, 0, 1]);
    for (const kill of kills) expect(kill.recoveryMs).toBeGreaterThan(6_000);
  });

  it("uses the fault sizes the issue names: 600 ms latency, several seconds of clock skew", () => {
    const schedule = buildSchedule(options());
    for (const fault of schedule) {
      if (fault.kind === "latency") expect(fault.delayMs).toBe(600);
      if (fault.kind === "clockSkew") expect(Math.abs(fault.skewMs)).toBeGreaterThanOrEqual(1_000);
    }
  });

  it("refuses a run too short for one round of every fault", () => {
    expect(() => buildSchedule(options({ durationMs: 60_000 }))).toThrow(ScheduleError);
    expect(() => buildSchedule(options({ durationMs: 60_000 }))).toThrow(/--minutes/);
  });
});
