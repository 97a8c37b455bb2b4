// `npm run bench -w @bandkeeper/engine`: the engine's benchmarks, each in a process of its own so that one's
// heap and JIT state do not colour the other's numbers; prints one JSON object with a section per benchmark.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const benchmarks = { fleet: "fleet.ts", decisionCost: "decision-cost.ts", replay: "replay.ts", regimes: "regimes.ts" } as const;

function run(file: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL(file, import.meta.url))], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line));
      else reject(new Error(`${file} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

const report: Record<string, unknown> = {};
for (const [name, file] of Object.entries(benchmarks)) report[name] = await run(file);
process.stdout.write(JSON.stringify(report) + "\n");
