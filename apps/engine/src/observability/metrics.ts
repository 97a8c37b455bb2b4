// Prometheus metrics of one engine process, served on /metrics: per bot its state, KPI flags, decision and
// acknowledgement latency, orders and fills; per account its rate-limit use. /healthz beside it for liveness probes.
import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { type KpiFlags, type BotState } from "@bandkeeper/core";

const BOT_STATES: readonly BotState[] = ["STARTING", "QUOTING", "DEGRADED", "HALTED", "PAUSED", "STOPPING", "STOPPED", "FAULTED"];

/** One rate-limit window as a budget counts it now. */
export interface RateLimitReading {
  scope: string;
  limit: string;
  used: number;
}

/** What /healthz reports: `ok` decides the status code; the rest is shown as it is. */
export interface EngineHealth {
  readonly ok: boolean;
  readonly [detail: string]: unknown;
}

/** The metrics server could not start, for a reason the operator can fix (the message says which setting). */
export class EngineServeError extends Error {
  override name = "EngineServeError";
}

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly rateLimitSources = new Set<() => readonly RateLimitReading[]>();
  readonly botState = new Gauge({ name: "bandkeeper_bot_state", help: "1 for the bot's current state", labelNames: ["bot", "symbol", "state"], registers: [this.registry] });
  readonly kpiFlag = new Gauge({
    name: "bandkeeper_bot_kpi_flag",
    help: "1 while the KPI condition holds (running, spread_compliant, two_sided, depth)",
    labelNames: ["bot", "symbol", "kpi"],
    registers: [this.registry],
  });
  readonly decisionSeconds = new Histogram({
    name: "bandkeeper_decision_seconds",
    help: "Market event processed to order requests written",
    labelNames: ["bot"],
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: "bandkeeper_order_ack_seconds",
    help: "Order request sent to the exchange's acknowledgement",
    labelNames: ["account", "kind"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly orders = new Counter({ name: "bandkeeper_orders_total", help: "Orders sent", labelNames: ["bot", "side"], registers: [this.registry] });
  readonly fills = new Counter({ name: "bandkeeper_fills_total", help: "Fills received", labelNames: ["bot", "side"], registers: [this.registry] });
  readonly rateLimitUsed: Gauge<"scope" | "limit"> = new Gauge({
    name: "bandkeeper_rate_limit_used",
    help: "Units used in the current window of a rate limit",
    labelNames: ["scope", "limit"],
    registers: [this.registry],
    // Read at every scrape, so the gauge is current in every mode (supervised, headless) without a timer.
    collect: () => {
      for (const read of this.rateLimitSources) for (const { scope, limit, used } of read()) this.rateLimitUsed.set({ scope, limit }, used);
    },
  });
  readonly journalPending = new Gauge({ name: "bandkeeper_journal_pending", help: "Records waiting to be written to Postgres", registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "bandkeeper_engine_" });
  }

  /** Budgets whose windows `bandkeeper_rate_limit_used` reports; returns the way to stop. */
  readRateLimitsFrom(source: () => readonly RateLimitReading[]): () => void {
    this.rateLimitSources.add(source);
    return () => this.rateLimitSources.delete(source);
  }

  setKpiFlags(bot: string, symbol: string, flags: KpiFlags): void {
    this.kpiFlag.set({ bot, symbol, kpi: "running" }, flags.running ? 1 : 0);
    this.kpiFlag.set({ bot, symbol, kpi: "spread_compliant" }, flags.spreadCompliant ? 1 : 0);
    this.kpiFlag.set({ bot, symbol, kpi: "two_sided" }, flags.twoSided ? 1 : 0);
    this.kpiFlag.set({ bot, symbol, kpi: "depth" }, flags.depth ? 1 : 0);
  }

  setBotState(bot: string, symbol: string, state: BotState): void {
    for (const s of BOT_STATES) this.botState.set({ bot, symbol, state: s }, s === state ? 1 : 0);
  }

  /**
   * Serves /metrics and /healthz on the port (0 picks a free one); resolves to the bound port. /healthz answers
   * 200 with what `health` reports while the process runs its loop (a liveness probe: a wedged event loop does not
   * answer at all), or 503 when `health` says it is not ok. A port another process holds is an EngineServeError
   * naming it, not a stack trace.
   */
  async serve(port: number, host = "127.0.0.1", health: () => EngineHealth = () => ({ ok: true })): Promise<{ port: number; close(): Promise<void> }> {
    const server: Server = createServer((request, response) => {
      const path = (request.url ?? "").split("?")[0];
      if (path === "/healthz") {
        const report = health();
        response.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: report.ok ? "ok" : "unhealthy", ...report }));
        return;
      }
      if (path !== "/metrics") {
        response.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => response.writeHead(200, { "content-type": this.registry.contentType }).end(body),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "EADDRINUSE"
            ? new EngineServeError(`ENGINE_METRICS_PORT: port ${port} on ${host} is in use (another engine?); set ENGINE_METRICS_PORT to a free port, or 0 for any`)
            : error,
        ),
      );
      server.listen(port, host, resolve);
    });
    const address = server.address();
    return {
      port: typeof address === "object" && address ? address.port : port,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
