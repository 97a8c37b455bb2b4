// The systemd unit: the sections and keys systemd needs, the engine started the way npm run engine starts it,
// settings from an environment file whose example names the required ones, and a stop timeout longer than the
// engine's longest stop (65 s waiting out a Retry-After, then the cancels). `systemd-analyze verify` where it runs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIR = fileURLToPath(new URL("../systemd/", import.meta.url));

/** A unit file as section → key → values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const entry = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!entry || !current) throw new Error(`not a unit file line: ${raw}`);
    current.set(entry[1]!, [...(current.get(entry[1]!) ?? []), entry[2]!]);
  }
  return sections;
}

describe("bandkeeper-engine.service", () => {
  const unit = parseUnit(readFileSync(join(DIR, "bandkeeper-engine.service"), "utf8"));
  const service = unit.get("Service")!;
  const value = (key: string) => service.get(key)?.[0];

  it("has the Unit, Service and Install sections and starts the engine's entry point", () => {
    expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
    expect(value("ExecStart")).toBe("/usr/bin/node --import tsx src/main.ts");
    expect(value("WorkingDirectory")).toMatch(/\/apps\/engine$/);
    expect(unit.get("Install")?.get("WantedBy")).toEqual(["multi-user.target"]);
  });

  it("stops with SIGTERM and gives the engine longer than its longest stop; restarts on failure, not in a loop", () => {
    expect(value("KillSignal")).toBe("SIGTERM");
    expect(Number(value("TimeoutStopSec"))).toBeGreaterThan(75);
    expect(value("Restart")).toBe("on-failure");
    expect(Number(unit.get("Unit")?.get("StartLimitBurst")?.[0])).toBeGreaterThan(0);
    expect(value("User")).not.toBe("root");
  });

  it("reads its settings from an environment file whose example sets the required ones", () => {
    expect(value("EnvironmentFile")).toBe("/etc/bandkeeper/engine.env");
    const example = readFileSync(join(DIR, "engine.env.example"), "utf8");
    for (const setting of ["DATABASE_URL", "BANDKEEPER_ENCRYPTION_KEY", "ENGINE_METRICS_PORT", "ENGINE_METRICS_HOST"]) expect(example).toMatch(new RegExp(`^${setting}=`, "m"));
  });

  const analyze = spawnSync("systemd-analyze", ["--version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!analyze)("systemd-analyze verify finds no syntax error (skipped without systemd)", () => {
    const result = spawnSync("systemd-analyze", ["verify", join(DIR, "bandkeeper-engine.service")], { encoding: "utf8" });
    // The paths and user of a production host do not exist here; only unknown keys and bad syntax count.
    expect(result.stderr).not.toMatch(/Unknown (key|section)|Failed to parse/i);
  });
});
