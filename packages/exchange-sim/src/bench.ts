// `npm run bench`: a market maker's order traffic against an in-process simulator over real sockets. The client runs
// on a worker thread (its own event loop, like a separate process) and keeps a pool of resting passive orders on
// one WebSocket API connection (answers carry rateLimits, as for any client that does not opt out), placing one and
// cancelling the oldest at a fixed rate; prints one JSON object with the latencies, the conditions (rate, duration,
// load average before and after, CPUs) and what the server's event loop went through meanwhile (delay percentiles,
// GC pauses) beside an idle thread's, so a tail can be told apart from a busy machine.
import { createHmac } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import Decimal from "decimal.js";
import { isMainThread, parentPort, workerData, Worker } from "node:worker_threads";
import { WebSocket } from "ws";
import { startExchangeSimulator } from "./index";

interface BenchSettings {
  durationMs: number;
  /** Traffic before the measured window (JIT and connection warm-up), not counted. */
  warmupMs: number;
  /** Requests per second (place and cancel each count). */
  rate: number;
  /** Resting orders kept on the book. */
  restingOrders: number;
  /** Market-data connections (trade, bookTicker, diff depth) open meanwhile, as a market maker keeps them. */
  streamClients: number;
  /** With a state directory the simulator writes its journal meanwhile: the cost of persistence. */
  stateDir: string | undefined;
}

interface ClientJob {
  wsBaseUrl: string;
  bidPrice: string;
  settings: BenchSettings;
}

interface BenchResult {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  rps: number;
  errors: number;
  unanswered: number;
  /** Market-data messages the stream connections received in the measured window. */
  streamMessages: number;
}

const apiKey = "benchKey";
const apiSecret = "benchSecret";
const tickMs = 5;

function settingsFromArgs(): BenchSettings {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "20" },
      warmup: { type: "string", default: "2" },
      rate: { type: "string", default: "500" },
      resting: { type: "string", default: "20" },
      "stream-clients": { type: "string", default: "1" },
      "state-dir": { type: "string" },
    },
  });
  const durationS = Number(values.duration);
  const rate = Number(values.rate);
  const resting = Number(values.resting);
  const warmupS = Number(values.warmup);
  const streamClients = Number(values["stream-clients"]);
  if (
    !(durationS > 0) ||
    !(rate > 0) ||
    !(warmupS >= 0) ||
    !Number.isInteger(resting) ||
    resting < 1 ||
    !Number.isInteger(streamClients) ||
    streamClients < 0
  ) {
    throw new Error(
      "usage: bench [--duration SECONDS] [--warmup SECONDS] [--rate REQUESTS_PER_SECOND] [--resting ORDERS] [--stream-clients N] [--state-dir DIR]",
    );
  }
  return { durationMs: durationS * 1000, warmupMs: warmupS * 1000, rate, restingOrders: resting, streamClients, stateDir: values["state-dir"] };
}

function signed(params: Record<string, string | number>): Record<string, string | number> {
  const all = { ...params, apiKey, timestamp: Date.now() };
  const payload = Object.keys(all)
    .sort()
    .map((name) => `${name}=${String(all[name as keyof typeof all])}`)
    .join("&");
  return { ...all, signature: createHmac("sha256", apiSecret).update(payload).digest("hex") };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The market maker's side, on its own thread so its work does not queue behind the server's. */
async function runClient(job: ClientJob): Promise<BenchResult> {
  const { settings } = job;
  const socket = new WebSocket(`${job.wsBaseUrl}/ws-api/v3`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });

  const basePrice = new Decimal(job.bidPrice).mul("0.97");
  const sentAt = new Map<number, bigint>();
  let measuring = settings.warmupMs === 0;
  const latenciesMs: number[] = [];
  const resting: string[] = [];
  let nextId = 1;
  let errors = 0;
  let streamMessages = 0;
  const streams = await Promise.all(
    Array.from({ length: settings.streamClients }, async () => {
      const stream = new WebSocket(`${job.wsBaseUrl}/stream?streams=btcusdt@trade/btcusdt@bookTicker/btcusdt@depth@100ms`, {
        perMessageDeflate: false,
      });
      await new Promise<void>((resolve, reject) => {
        stream.once("open", () => resolve());
        stream.once("error", reject);
      });
      stream.on("message", () => {
        if (measuring) streamMessages += 1;
      });
      return stream;
    }),
  );
  socket.on("message", (data: Buffer) => {
    const reply = JSON.parse(data.toString("utf8")) as { id?: number; status?: number };
    if (typeof reply.id !== "number") return;
    const started = sentAt.get(reply.id);
    if (started === undefined) return;
    sentAt.delete(reply.id);
    if (!measuring) return;
    latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (reply.status !== 200) errors += 1;
  });
  const send = (method: string, params: Record<string, string | number>) => {
    const id = nextId++;
    sentAt.set(id, process.hrtime.bigint());
    socket.send(JSON.stringify({ id, method, params: signed(params) }));
  };

  let orderNumber = 0;
  const placeOrCancel = () => {
    if (resting.length >= settings.restingOrders) {
      const clientOrderId = resting.shift() as string;
      send("order.cancel", { symbol: "BTCUSDT", origClientOrderId: clientOrderId });
      return;
    }
    orderNumber += 1;
    const clientOrderId = `bench${orderNumber}`;
    // Spread the pool over a few ticks below the market so it never fills.
    const price = basePrice.sub(new Decimal(orderNumber % 50).mul("0.01")).toFixed(2);
    send("order.place", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT_MAKER",
      price,
      quantity: "0.01000",
      newClientOrderId: clientOrderId,
      newOrderRespType: "ACK",
    });
    resting.push(clientOrderId);
  };

  let started = Date.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - started;
      if (!measuring && elapsed >= settings.warmupMs) {
        measuring = true;
        started += settings.warmupMs;
        sent = 0;
        return;
      }
      const window = measuring ? settings.durationMs : settings.warmupMs;
      const due = Math.floor((Math.min(elapsed, window) / 1000) * settings.rate);
      while (sent < due) {
        placeOrCancel();
        sent += 1;
      }
      if (measuring && elapsed >= settings.durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, tickMs);
  });
  // Let the last answers arrive.
  const drainDeadline = Date.now() + 2000;
  while (sentAt.size > 0 && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const elapsedS = (Date.now() - started) / 1000;
  socket.close();
  for (const stream of streams) stream.close();

  const sorted = [...latenciesMs].sort((x, y) => x - y);
  return {
    p50Ms: round3(percentile(sorted, 50)),
    p99Ms: round3(percentile(sorted, 99)),
    maxMs: round3(sorted[sorted.length - 1] ?? 0),
    requests: latenciesMs.length,
    rps: Math.round(latenciesMs.length / elapsedS),
    errors,
    unanswered: sentAt.size,
    streamMessages,
  };
}

interface ServerConditions {
  /** The server thread's event-loop delay while the client ran (timer resolution 1 ms). */
  serverLoopDelayP99Ms: number;
  serverLoopDelayMaxMs: number;
  /** Garbage-collection pauses of the server thread while the client ran. */
  serverGcPauses: number;
  serverGcTotalMs: number;
  serverGcMaxMs: number;
  /** The same delay on a thread doing nothing: how late this machine wakes any thread meanwhile. */
  idleThreadLoopDelayP99Ms: number;
  idleThreadLoopDelayMaxMs: number;
}

/** A thread with no work of its own, measuring its event-loop delay until told to stop. */
const idleReference = `
const { parentPort } = require("node:worker_threads");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
parentPort.once("message", () => {
  delay.disable();
  parentPort.postMessage({ p99: delay.percentile(99), max: delay.max });
});`;

/** Watches the server thread (this one) and an idle reference thread while `work` runs. */
async function observeServer<T>(work: () => Promise<T>): Promise<T & ServerConditions> {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const gcPausesMs: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPausesMs.push(entry.duration);
  });
  const reference = new Worker(idleReference, { eval: true });
  gc.observe({ entryTypes: ["gc"] });
  loopDelay.enable();
  try {
    const result = await work();
    const idle = await new Promise<{ p99: number; max: number }>((resolve, reject) => {
      reference.once("message", resolve);
      reference.once("error", reject);
      reference.postMessage("stop");
    });
    return {
      ...result,
      serverLoopDelayP99Ms: round3(loopDelay.percentile(99) / 1e6),
      serverLoopDelayMaxMs: round3(loopDelay.max / 1e6),
      serverGcPauses: gcPausesMs.length,
      serverGcTotalMs: round3(gcPausesMs.reduce((sum, ms) => sum + ms, 0)),
      serverGcMaxMs: round3(Math.max(0, ...gcPausesMs)),
      idleThreadLoopDelayP99Ms: round3(idle.p99 / 1e6),
      idleThreadLoopDelayMaxMs: round3(idle.max / 1e6),
    };
  } finally {
    loopDelay.disable();
    gc.disconnect();
    await reference.terminate();
  }
}

interface PersistenceCost {
  journalBatches?: number;
  journalRecords?: number;
  journalBytes?: number;
  journalWriteMsMean?: number;
  journalWriteMsMax?: number;
  snapshotMs?: number;
  snapshotBytes?: number;
}

async function runBench(settings: BenchSettings): Promise<BenchResult & ServerConditions & PersistenceCost> {
  const sim = await startExchangeSimulator({
    ...(settings.stateDir !== undefined ? { stateDir: settings.stateDir } : {}),
    symbols: ["BTCUSDT"],
    accounts: [{ apiKey, apiSecret, balances: { USDT: "100000000", BTC: "1000" } }],
    rateLimits: {
      requestWeightPerMinute: 1e9,
      ordersPer10Seconds: 1e9,
      ordersPerDay: 1e9,
      rawRequestsPer5Minutes: 1e9,
    },
  });
  try {
    const job: ClientJob = { wsBaseUrl: sim.wsBaseUrl, bidPrice: sim.exchange.bookTicker("BTCUSDT").bidPrice, settings };
    // Workers do not inherit tsx's loader hooks: register them before loading this TypeScript file.
    const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(bootstrap, { eval: true, workerData: job });
    const result = await observeServer(
      () =>
        new Promise<BenchResult>((resolve, reject) => {
          worker.once("message", (result: BenchResult) => resolve(result));
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`bench client exited with ${code}`)));
        }),
    );
    const stats = sim.state?.stats;
    if (!stats) return result;
    sim.state?.snapshot({ wait: true });
    return {
      ...result,
      journalBatches: stats.batches,
      journalRecords: stats.records,
      journalBytes: stats.journalBytes,
      journalWriteMsMean: round3(stats.flushMsTotal / Math.max(1, stats.batches)),
      journalWriteMsMax: round3(stats.flushMsMax),
      snapshotMs: round3(stats.lastSnapshotMs),
      snapshotBytes: stats.lastSnapshotBytes,
    };
  } finally {
    await sim.close();
  }
}

if (isMainThread) {
  const settings = settingsFromArgs();
  // Other processes competing for the CPU show up in the tail: report how busy the machine was.
  const load1m = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const loadBefore = load1m();
  const startedAt = new Date().toISOString();
  const result = await runBench(settings);
  console.log(
    JSON.stringify({
      ...result,
      rate: settings.rate,
      durationS: settings.durationMs / 1000,
      warmupS: settings.warmupMs / 1000,
      restingOrders: settings.restingOrders,
      streamClients: settings.streamClients,
      loadAverage1mBefore: loadBefore,
      loadAverage1mAfter: load1m(),
      cpus: availableParallelism(),
      node: process.version,
      startedAt,
    }),
  );
} else {
  parentPort?.postMessage(await runClient(workerData as ClientJob));
}
