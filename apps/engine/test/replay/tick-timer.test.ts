// The replay ticks the bot when the bot says (Bot.nextTickAt), not on a fixed grid, and reports its progress.
import { Bot, defaultBotConfig } from "@bandkeeper/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolve } from "node:path";
import { loadRecording } from "../../src/replay/recording";
import { simulateReplay, type ReplayProgress } from "../../src/replay/run-replay";
import { FIXTURES } from "./cli-runner";

const SAMPLE = resolve(FIXTURES, "BTCUSDT-trades-2024-08-08-sample.csv");

describe("the replay's tick timer", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("ticks every tickMs while the bot asks for it", async () => {
    const recording = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
    vi.spyOn(Bot.prototype, "nextTickAt").mockImplementation((now: number, tickMs: number) => now + tickMs);
    const result = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig, tickMs: 100 });
    const span = result.endedAt - result.startedAt;
    expect(result.counts.ticks).toBe(Math.floor(span / 100));
  }, 60_000);

  it("skips the ticks the bot does not need, and brings one forward when an event makes it due sooner", async () => {
    const recording = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
    const tickTimes: number[] = [];
    const original = Object.getOwnPropertyDescriptor(Bot.prototype, "tick")?.value as (this: Bot) => void;
    vi.spyOn(Bot.prototype, "tick").mockImplementation(function (this: Bot) {
      tickTimes.push(Math.floor((this as unknown as { ports: { clock: { now(): number } } }).ports.clock.now()));
      original.call(this);
    });
    // Nothing due for 10 s after each tick; an event at a whole 5 s mark asks for a tick 1 ms later.
    vi.spyOn(Bot.prototype, "nextTickAt").mockImplementation((now: number) => (Math.floor(now) % 5_000 === 0 ? now + 1 : Math.floor(now / 10_000) * 10_000 + 10_000));
    const result = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig });
    const span = result.endedAt - result.startedAt;
    expect(result.counts.ticks).toBe(tickTimes.length);
    expect(result.counts.ticks).toBeLessThan(span / 1_000);
    const onGrid = tickTimes.filter((t) => t % 10_000 === 0);
    expect(onGrid.length).toBeGreaterThanOrEqual(Math.floor(span / 10_000) - 1);
    expect(tickTimes.some((t) => t % 5_000 === 1)).toBe(true);
    expect([...tickTimes].sort((a, b) => a - b)).toEqual(tickTimes);
    // The market still reaches the bot: the quotes go out as before.
    expect(result.report.ordersPlaced).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("reports progress in simulated time, ending at the whole span", async () => {
    const recording = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
    const seen: ReplayProgress[] = [];
    const result = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig, onProgress: (p) => seen.push(p), progressEvery: 1_000 });
    const total = result.endedAt - result.startedAt;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p) => p.totalMs === total)).toBe(true);
    expect(seen.map((p) => p.doneMs)).toEqual([...seen.map((p) => p.doneMs)].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toMatchObject({ doneMs: total });
    // Every queue entry handled, the start included.
    expect(seen[seen.length - 1]?.happenings).toBe(1 + result.counts.marketEvents + result.counts.depthUpdates + result.counts.exchangeSteps + result.counts.messages + result.counts.ticks);
  }, 60_000);
});
