// How many engine processes `npm start` runs. One engine process uses one core (its bots share one event loop);
// the leases in Postgres share the bots between engines and move a dead engine's bots to the others, so more cores
// are used by running more engines, not threads: each is the same process the deployment scales (compose runs two,
// Kubernetes replicas), with nothing shared in memory to get wrong.

export interface EngineProcessPlan {
  /** ENGINE_PROCESSES: a number, or "auto". */
  readonly setting: number | "auto";
  /** Bots an operator wants running, counted when the product starts. */
  readonly runningBots: number;
  /** Cores this machine offers (os.availableParallelism()). */
  readonly cores: number;
  /** ENGINE_BOTS_PER_PROCESS: what one engine process carries at liquid-pair message rates. */
  readonly botsPerProcess: number;
}

/** "auto": one engine until the bots outnumber what one carries, then one per share, at most one per core. */
export function engineProcessCount(plan: EngineProcessPlan): number {
  if (plan.setting !== "auto") return plan.setting;
  const wanted = Math.ceil(plan.runningBots / plan.botsPerProcess);
  return Math.max(1, Math.min(plan.cores, wanted));
}

/** The service name and metrics port of each engine: "engine" alone, else engine-1.. on consecutive ports. */
export function engineServices(count: number, metricsPort: number): { name: string; metricsPort: number }[] {
  if (count === 1) return [{ name: "engine", metricsPort }];
  return Array.from({ length: count }, (_, i) => ({ name: `engine-${i + 1}`, metricsPort: metricsPort + i }));
}

/** A service the launcher supervises as an engine (restarted after a crash, stopped first). */
export function isEngineService(name: string): boolean {
  return name === "engine" || /^engine-\d+$/.test(name);
}
