import { describe, expect, it } from "vitest";
import { DEFAULT_STARTUP_GRACE, firstJudgedMinute, graceEndsAt } from "../src/alerts";

const MINUTE = 60_000;

describe("graceEndsAt", () => {
  const startedAt = Date.UTC(2026, 11, 3, 7, 0, 10);

  it("ends the warm-up after the first market data", () => {
    expect(graceEndsAt({ startedAt, firstMarketDataAt: startedAt + 7_000 })).toBe(startedAt + 7_000 + DEFAULT_STARTUP_GRACE.warmupSeconds * 1_000);
  });

  it("without market data, ends after the longest wait", () => {
    expect(graceEndsAt({ startedAt, firstMarketDataAt: null }, { warmupSeconds: 30, maxWaitSeconds: 120 })).toBe(startedAt + 120_000);
  });

  it("market data later than the longest wait still gets its warm-up", () => {
    expect(graceEndsAt({ startedAt, firstMarketDataAt: startedAt + 400_000 }, { warmupSeconds: 30, maxWaitSeconds: 120 })).toBe(startedAt + 430_000);
  });
});

describe("firstJudgedMinute", () => {
  it.each([
    [Date.UTC(2026, 11, 3, 7, 1, 17), Date.UTC(2026, 11, 3, 7, 2)],
    [Date.UTC(2026, 11, 3, 7, 2), Date.UTC(2026, 11, 3, 7, 2)],
  ])("the first whole minute from %d is %d", (graceEnd, minute) => {
    expect(firstJudgedMinute(graceEnd)).toBe(minute);
    expect(minute % MINUTE).toBe(0);
  });
});
