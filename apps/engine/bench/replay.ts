// `npm run bench` section `replay`: how fast a replay runs, the default config over the shared capture (loading
// included separately) and over a synthetic 59-hour thin tape. Each run three times: median, min and max wall
// seconds, events per second of wall time, CPU seconds, and the load average at the start (a busy machine
// slows every figure; the CPU seconds say how much of the time was ours).
import { loadavg } from "node:os";
import { defaultBotConfig } from "@bandkeeper/core";
import { simulateReplay, type ReplayResult } from "../src/replay/run-replay";
import { syntheticThinTape, THIN_SYMBOL } from "../src/replay/tapes/synthetic-thin";
import { BTCUSDT, captureLoader } from "./regimes/regimes";

const RUNS = 3;

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly events: number;
}

function timed(replay: () => ReplayResult): Run {
  const startedAt = performance.now();
  const cpu = process.cpuUsage();
  const result = replay();
  const used = process.cpuUsage(cpu);
  const { marketEvents, depthUpdates, exchangeSteps } = result.counts;
  return { seconds: (performance.now() - startedAt) / 1000, cpuSeconds: (used.user + used.system) / 1e6, events: marketEvents + depthUpdates + exchangeSteps };
}

function summary(runs: readonly Run[]) {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    runs: runs.length,
    events: median.events,
    seconds: { median: round(median.seconds), min: round(sorted[0]!.seconds), max: round(sorted.at(-1)!.seconds) },
    eventsPerSecond: { median: Math.round(median.events / median.seconds), min: Math.round(median.events / sorted.at(-1)!.seconds), max: Math.round(median.events / sorted[0]!.seconds) },
    cpuSecondsMedian: round(median.cpuSeconds),
  };
}

const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
const config = defaultBotConfig;

const loadStartedAt = performance.now();
const capture = await captureLoader()();
const captureLoadSeconds = Math.round((performance.now() - loadStartedAt) / 10) / 100;
const captureRuns = Array.from({ length: RUNS }, () => timed(() => simulateReplay(capture, { symbol: BTCUSDT, config, latencyMs: 10 })));

const thin = syntheticThinTape({ seed: 1, hours: 59 });
const thinRuns = Array.from({ length: RUNS }, () => timed(() => simulateReplay(thin, { symbol: THIN_SYMBOL, config, latencyMs: 10 })));

process.stdout.write(
  `${JSON.stringify({
    loadAverage: loadAtStart,
    // events: market events (trades, book tops) + depth updates + the exchange's own steps, as the replay counts them
    sharedCapture: { tape: "BTCUSDT 2024-08-08, 10.8 min", loadSeconds: captureLoadSeconds, ...summary(captureRuns) },
    syntheticThin59h: { tape: "synthetic thin pair, 59 h, a print every 10-60 s (seed 1)", ...summary(thinRuns) },
    targets: { sharedCaptureEventsPerSecond: 70_000, syntheticThin59hSeconds: 10 },
  })}\n`,
);
