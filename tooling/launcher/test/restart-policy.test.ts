import { describe, expect, it } from "vitest";
import { RestartPolicy } from "../src/restart-policy";

const policy = () => new RestartPolicy({ initialDelayMs: 1_000, maxDelayMs: 5_000, maxCrashes: 5, windowMs: 60_000 });

describe("RestartPolicy", () => {
  it("doubles the delay with each crash in the window, up to the cap, and gives up at the limit", () => {
    const restarts = policy();
    const decisions = [0, 1_000, 2_000, 3_000, 4_000].map((now) => restarts.onCrash(now));
    expect(decisions).toEqual([
      { restart: true, delayMs: 1_000, crashesInWindow: 1 },
      { restart: true, delayMs: 2_000, crashesInWindow: 2 },
      { restart: true, delayMs: 4_000, crashesInWindow: 3 },
      { restart: true, delayMs: 5_000, crashesInWindow: 4 },
      { restart: false, crashesInWindow: 5 },
    ]);
  });

  it("forgets crashes older than the window: a rare crash restarts quickly however many came before", () => {
    const restarts = policy();
    for (const now of [0, 10_000, 20_000, 30_000]) restarts.onCrash(now);
    expect(restarts.onCrash(85_000)).toEqual({ restart: true, delayMs: 2_000, crashesInWindow: 2 });
    expect(restarts.onCrash(200_000)).toEqual({ restart: true, delayMs: 1_000, crashesInWindow: 1 });
  });
});
