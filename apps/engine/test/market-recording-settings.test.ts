// The market recorder's settings: the defaults (a sample a second, 24 h of seconds, 30 days of minutes, upkeep each
// minute), values in the units their names say, and a bad value named in the error.
import { describe, expect, it } from "vitest";
import { EngineEnvError, marketRecording, readEngineEnv } from "../src/env";
import { DEFAULT_MARKET_RECORDING } from "../src/persistence/market-recorder";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x", BANDKEEPER_ENCRYPTION_KEY: "k" };

describe("market recording settings", () => {
  it("default to a sample a second, 24 h of seconds, 30 days of minutes and upkeep every minute", () => {
    expect(marketRecording(readEngineEnv(base))).toEqual({ sampleEveryMs: 1_000, secondsRetentionMs: 86_400_000, minutesRetentionMs: 2_592_000_000, maintenanceMs: 60_000 });
    expect(marketRecording(readEngineEnv(base))).toEqual(DEFAULT_MARKET_RECORDING);
  });

  it("records no market tapes unless a folder is named, and keeps 7 days of them by default", () => {
    expect(readEngineEnv(base)).toMatchObject({ ENGINE_MARKET_TAPES_DAYS: 7 });
    expect(readEngineEnv(base).ENGINE_MARKET_TAPES_DIR).toBeUndefined();
    expect(readEngineEnv({ ...base, ENGINE_MARKET_TAPES_DIR: "tapes", ENGINE_MARKET_TAPES_DAYS: "3" })).toMatchObject({ ENGINE_MARKET_TAPES_DIR: "tapes", ENGINE_MARKET_TAPES_DAYS: 3 });
  });

  it("reads each in the unit its name says", () => {
    const env = { ...base, ENGINE_MARKET_SAMPLE_S: "5", ENGINE_MARKET_SECONDS_RETENTION_H: "6", ENGINE_MARKET_MINUTES_RETENTION_D: "90", ENGINE_MARKET_MAINTENANCE_S: "300" };
    expect(marketRecording(readEngineEnv(env))).toEqual({ sampleEveryMs: 5_000, secondsRetentionMs: 6 * 3_600_000, minutesRetentionMs: 90 * 86_400_000, maintenanceMs: 300_000 });
  });

  it.each([
    [{ ENGINE_MARKET_SAMPLE_S: "0" }, "ENGINE_MARKET_SAMPLE_S: must be at least 1"],
    [{ ENGINE_MARKET_SAMPLE_S: "0.5" }, "ENGINE_MARKET_SAMPLE_S: must be a whole number"],
    [{ ENGINE_MARKET_SECONDS_RETENTION_H: "0" }, "ENGINE_MARKET_SECONDS_RETENTION_H: must be at least 1"],
    [{ ENGINE_MARKET_MINUTES_RETENTION_D: "-3" }, "ENGINE_MARKET_MINUTES_RETENTION_D: must be at least 1"],
    [{ ENGINE_MARKET_MAINTENANCE_S: "soon" }, "ENGINE_MARKET_MAINTENANCE_S:"],
    [{ ENGINE_MARKET_TAPES_DAYS: "0" }, "ENGINE_MARKET_TAPES_DAYS: must be at least 1"],
  ])("refuses %o naming the variable", (env, message) => {
    expect(() => readEngineEnv({ ...base, ...env })).toThrow(EngineEnvError);
    expect(() => readEngineEnv({ ...base, ...env })).toThrow(message);
  });
});
