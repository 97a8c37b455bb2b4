import { describe, expect, it } from "vitest";
import { engineProcessCount, engineServices, isEngineService } from "../src/engine-processes";

describe("engineProcessCount", () => {
  const plan = { setting: "auto" as const, cores: 4, botsPerProcess: 40 };

  it("runs one engine until the bots outnumber what one carries, then one per share, at most one per core", () => {
    expect(engineProcessCount({ ...plan, runningBots: 0 })).toBe(1);
    expect(engineProcessCount({ ...plan, runningBots: 3 })).toBe(1);
    expect(engineProcessCount({ ...plan, runningBots: 40 })).toBe(1);
    expect(engineProcessCount({ ...plan, runningBots: 41 })).toBe(2);
    expect(engineProcessCount({ ...plan, runningBots: 120 })).toBe(3);
    expect(engineProcessCount({ ...plan, runningBots: 1_000 })).toBe(4);
    expect(engineProcessCount({ ...plan, cores: 1, runningBots: 1_000 })).toBe(1);
  });

  it("runs what ENGINE_PROCESSES says when it names a number", () => {
    expect(engineProcessCount({ ...plan, setting: 3, runningBots: 0 })).toBe(3);
    expect(engineProcessCount({ ...plan, setting: 1, runningBots: 1_000 })).toBe(1);
  });
});

describe("engineServices", () => {
  it("names a lone engine 'engine' on the metrics port, and several engine-1.. on consecutive ports", () => {
    expect(engineServices(1, 9464)).toEqual([{ name: "engine", metricsPort: 9464 }]);
    expect(engineServices(3, 9464)).toEqual([
      { name: "engine-1", metricsPort: 9464 },
      { name: "engine-2", metricsPort: 9465 },
      { name: "engine-3", metricsPort: 9466 },
    ]);
    expect(engineServices(3, 9464).every((engine) => isEngineService(engine.name))).toBe(true);
    expect(["web", "simulator", "postgres", "engines", "engine-"].some(isEngineService)).toBe(false);
  });
});
