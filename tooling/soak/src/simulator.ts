// The soak's side of the simulator: starts `simulator-host.ts` in its own process, switches faults through the
// simulator's admin API (POST /admin/faults, /admin/connections/drop), reads the exchange's record from the host.
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { FaultPatch, FaultSettings } from "@bandkeeper/exchange-sim";
import type { Child, Children } from "./children";
import type { ExchangeRecord, HostConfig, HostReady, OpenSnapshot } from "./simulator-host";

export class SoakSimulator {
  private constructor(
    readonly child: Child,
    readonly baseUrl: string,
    private readonly controlUrl: string,
  ) {}

  static async start(config: HostConfig, repoRoot: string, logDir: string, children: Children): Promise<SoakSimulator> {
    const child = children.spawn({
      name: "simulator",
      command: process.execPath,
      args: ["--import", "tsx", join(repoRoot, "tooling/soak/src/simulator-host.ts"), JSON.stringify(config)],
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "" },
      logFile: join(logDir, "simulator.log"),
      pipeStdout: true,
    });
    const stdout = child.process.stdout;
    if (!stdout) throw new Error("simulator has no stdout");
    const lines = createInterface({ input: stdout });
    const timeout = setTimeout(() => void children.kill(child), 60_000);
    try {
      const [line] = (await Promise.race([once(lines, "line"), child.exited.then(() => [undefined])])) as [string | undefined];
      if (line === undefined) throw new Error(`the simulator exited during start (log in ${logDir}/simulator.log)`);
      const ready = JSON.parse(line) as HostReady;
      return new SoakSimulator(child, ready.baseUrl, ready.controlUrl);
    } finally {
      clearTimeout(timeout);
    }
  }

  async faults(patch: FaultPatch): Promise<FaultSettings> {
    const state = (await this.post("/admin/faults", patch)) as { faults: FaultSettings };
    return state.faults;
  }

  async currentFaults(): Promise<FaultSettings> {
    return ((await this.get(`${this.baseUrl}/admin/state`)) as { faults: FaultSettings }).faults;
  }

  async dropConnections(graceful: boolean): Promise<void> {
    await this.post("/admin/connections/drop", { graceful });
  }

  open(): Promise<OpenSnapshot> {
    return this.get(`${this.controlUrl}/soak/open`) as Promise<OpenSnapshot>;
  }

  record(): Promise<ExchangeRecord> {
    return this.get(`${this.controlUrl}/soak/record`) as Promise<ExchangeRecord>;
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const answer: unknown = await response.json();
    if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  private async get(url: string): Promise<unknown> {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    const answer: unknown = await response.json();
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }
}
