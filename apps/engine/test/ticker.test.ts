import { describe, expect, it } from "vitest";
import { BotTicker } from "../src/fleet/ticker";
import { wallClock } from "../src/wall-clock";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("BotTicker", () => {
  it("ticks every bot once per interval, bots of one slice with one time, and stops when the last one leaves", async () => {
    const ticker = new BotTicker(wallClock, 50);
    const seen = Array.from({ length: 25 }, () => [] as number[]);
    const removals = seen.map((times) => ticker.add((now) => times.push(now)));
    await sleep(230);
    for (const times of seen) expect(times.length).toBeGreaterThanOrEqual(3);
    for (const times of seen) expect(times.length).toBeLessThanOrEqual(6);
    // Bots 0, 10 and 20 are in one slice: ticked together with one clock reading.
    expect(seen[10]!.slice(0, 3)).toEqual(seen[0]!.slice(0, 3));
    expect(seen[20]!.slice(0, 3)).toEqual(seen[0]!.slice(0, 3));
    // Consecutive ticks of a bot are an interval apart (timers may run late, never early).
    const [first, second] = seen[3]!;
    expect(second! - first!).toBeGreaterThanOrEqual(45);
    removals.forEach((remove) => remove());
    const counts = seen.map((times) => times.length);
    await sleep(60);
    expect(seen.map((times) => times.length)).toEqual(counts);
  });
});
