// The running product of `npm start`: the database, then the services, each in a process group of its own. It stops
// them in dependency order (engine, web, simulator, database), each waited for and killed alone if it outlives its
// grace period, and it restarts an engine that crashes (see RestartPolicy) as a supervisor would.
import { join } from "node:path";
import { startDatabase } from "@bandkeeper/db/postgres";
import type { DatabaseServiceMessage } from "./database-service";
import type { ServiceRecord } from "./leftovers";
import {
  describeExit,
  isRunning,
  killGroupsNow,
  say,
  startService,
  stopService,
  type ExitStatus,
  type RunningService,
  type ServiceSpec,
} from "./processes";
import { isEngineService } from "./engine-processes";
import { RestartPolicy, type RestartPolicyOptions } from "./restart-policy";

/**
 * Stop order and grace periods: the engine cancels its orders while the venue and the database still answer. Each
 * bot waits up to 5 s for its cancels (longer while the exchange's Retry-After forbids sending them, up to 65 s),
 * then cancels everything on its symbol; then the journal is flushed. The engine's grace is a setting.
 */
const STOP_ORDER: readonly { name: string; graceMs: number }[] = [
  { name: "web", graceMs: 10_000 },
  { name: "simulator", graceMs: 10_000 },
];
const DATABASE_GRACE_MS = 30_000;

export type DatabaseHandle = { url: string; embedded: boolean };

export class Product {
  private readonly services = new Map<string, RunningService>();
  private readonly indexes = new Map<string, number>();
  private readonly restarts: RestartPolicy;
  private database: { handle: DatabaseHandle; service?: RunningService; stop(): Promise<void> } | undefined;
  private stopping: Promise<void> | undefined;
  /** The name of the service being stopped now, for a second Ctrl-C's message. */
  private stoppingNow: string | undefined;
  /** Engines waiting to be restarted: a stop wakes them so that they give up instead. */
  private readonly restartWaits = new Set<() => void>();
  private failure: ((reason: string) => void) | undefined;
  private readonly failed = new Promise<string>((resolveFailure) => (this.failure = resolveFailure));

  constructor(
    private readonly dataDir: string,
    private readonly record: ServiceRecord,
    private readonly restartPolicy: RestartPolicyOptions,
    private readonly engineStopGraceMs = 75_000,
  ) {
    this.restarts = new RestartPolicy(restartPolicy);
    // Whatever way this process ends, no service outlives it: the groups still alive are killed at exit.
    process.on("exit", () => killGroupsNow(this.livePids()));
  }

  /** The embedded PostgreSQL runs in a service process of its own (outside the terminal's process group). */
  async startDatabase(databaseUrl: string | undefined): Promise<DatabaseHandle> {
    if (databaseUrl) {
      const external = await startDatabase({ projectDataDir: this.dataDir, databaseUrl });
      this.database = { handle: { url: external.url, embedded: false }, stop: () => external.stop() };
      return this.database.handle;
    }
    const service = this.launch(
      {
        name: "postgres",
        command: process.execPath,
        args: ["--import", "tsx", join(import.meta.dirname, "database-service.ts"), "--data-dir", this.dataDir],
        cwd: import.meta.dirname,
        ipc: true,
      },
      { tracked: false },
    );
    const message = await new Promise<DatabaseServiceMessage>((resolveMessage, reject) => {
      service.child.once("message", (value) => resolveMessage(value as DatabaseServiceMessage));
      void service.exited.then((status) => reject(new Error(`the database service ${describeExit(status)} before it was ready`)));
    });
    if (message.type === "failed") {
      await service.exited;
      throw new Error(message.message);
    }
    const handle = { url: message.url, embedded: message.embedded };
    this.database = { handle, service, stop: async () => void (await this.stopOne(service, DATABASE_GRACE_MS)) };
    return handle;
  }

  /**
   * Starts the services in the order given; a crash of an engine restarts it (the crash count is shared by all
   * engines: a loop in any of them stops everything), of any other service stops everything.
   */
  startServices(specs: readonly ServiceSpec[]): void {
    for (const spec of specs) {
      if (isEngineService(spec.name)) void this.supervise(spec);
      else {
        const service = this.launch(spec);
        void service.exited.then((status) => {
          if (!service.stopRequested && !this.stopping) this.failure?.(`${spec.name} ${describeExit(status)}`);
        });
      }
    }
  }

  service(name: string): RunningService | undefined {
    return this.services.get(name);
  }

  /** Resolves with the reason once a service failed for good (a crash loop, or a crash of an unsupervised one). */
  whenFailed(): Promise<string> {
    return this.failed;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** What a further Ctrl-C should be told while stopping. */
  get stoppingWhat(): string | undefined {
    return this.stoppingNow;
  }

  /** Stops everything in order (once; later calls wait for the same stop). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const wake of this.restartWaits) wake();
      // The engines first and side by side: each cancels its own bots' orders within its grace.
      const engines = [...this.services.values()].filter((service) => isEngineService(service.name));
      await Promise.all(engines.map((service) => this.stopOne(service, this.engineStopGraceMs)));
      for (const { name, graceMs } of STOP_ORDER) {
        const service = this.services.get(name);
        if (service) await this.stopOne(service, graceMs);
      }
      // Anything not in the stop order (none today) still goes before the database.
      for (const service of [...this.services.values()].reverse()) await this.stopOne(service, 10_000);
      this.stoppingNow = "postgres";
      await this.database?.stop();
      this.stoppingNow = undefined;
    })();
    return this.stopping;
  }

  private async stopOne(service: RunningService, graceMs: number): Promise<void> {
    this.stoppingNow = service.name;
    const wasRunning = isRunning(service);
    const outcome = await stopService(service, graceMs);
    if (wasRunning && outcome === "stopped") say(`${service.name} stopped`);
    this.record.remove(service.pid);
    if (this.services.get(service.name) === service) this.services.delete(service.name);
  }

  /** `tracked: false` for the database, which is stopped on its own after every service. */
  private launch(spec: ServiceSpec, { tracked } = { tracked: true }): RunningService {
    const index = this.indexes.get(spec.name) ?? this.indexes.size;
    this.indexes.set(spec.name, index);
    const service = startService(spec, index);
    if (tracked) this.services.set(spec.name, service);
    this.record.add(spec.name, service.pid);
    void service.exited.then(() => this.record.remove(service.pid));
    return service;
  }

  /** Runs the engine, restarting it after a crash with a growing delay; a crash loop stops everything. */
  private async supervise(spec: ServiceSpec): Promise<void> {
    for (;;) {
      const service = this.launch(spec);
      const status: ExitStatus = await service.exited;
      if (service.stopRequested || this.stopping) return;
      const decision = this.restarts.onCrash(Date.now());
      const windowMinutes = Math.round(this.restartPolicy.windowMs / 60_000);
      if (!decision.restart) {
        this.failure?.(
          `${spec.name} ${describeExit(status)}; it crashed ${decision.crashesInWindow} times within ${windowMinutes} min, ` +
            `so it is not restarted again (a crash loop: see its output above)`,
        );
        return;
      }
      say(
        `${spec.name} ${describeExit(status)}; restarting it in ${formatSeconds(decision.delayMs)} ` +
          `(crash ${decision.crashesInWindow}; ${this.restartPolicy.maxCrashes} within ${windowMinutes} min stop everything)`,
      );
      await new Promise<void>((resolveWait) => {
        const wake = () => {
          clearTimeout(timer);
          this.restartWaits.delete(wake);
          resolveWait();
        };
        const timer = setTimeout(wake, decision.delayMs);
        this.restartWaits.add(wake);
      });
      if (this.stopping) return;
      say(`restarting the ${spec.name}`);
    }
  }

  private livePids(): number[] {
    const pids = [...this.services.values()].filter(isRunning).map((service) => service.pid);
    if (this.database?.service && isRunning(this.database.service)) pids.push(this.database.service.pid);
    return pids;
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

