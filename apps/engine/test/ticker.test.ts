import { describe, expect, it } from "vitest";
import { BotTicker } from "../src/fleet/ticker";
import { wallClock } from "../src/wall-clock";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("BotTicker", () => {
  it("ticks every registered bot with one time per round, and stops when the last one leaves", async () => {
    const ticker = new BotTicker(wallClock, 10);
    const seen: { a: number[]; b: number[] } = { a: [], b: [] };
    const removeA = ticker.add((now) => seen.a.push(now));
    const removeB = ticker.add((now) => seen.b.push(now));
    await sleep(55);
    removeA();
    const roundsOfA = seen.a.length;
    expect(roundsOfA).toBeGreaterThanOrEqual(2);
    expect(seen.b.slice(0, roundsOfA)).toEqual(seen.a);
    await sleep(30);
    expect(seen.a).toHaveLength(roundsOfA);
    expect(seen.b.length).toBeGreaterThan(roundsOfA);
    removeB();
    const roundsOfB = seen.b.length;
    await sleep(30);
    expect(seen.b).toHaveLength(roundsOfB);
  });
});
