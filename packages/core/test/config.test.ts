import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultBotConfig, diffConfigs, parseBotConfig } from "../src/config";

describe("defaultBotConfig", () => {
  it("carries the seed's defaults (docs/design.md section 7)", () => {
    expect(defaultBotConfig.band).toEqual({ minSpread: 0.002, maxSpread: 0.004 });
    expect(defaultBotConfig.targetFactor).toBe(0.8);
    expect(defaultBotConfig.minNotional).toBe("10000");
    expect(defaultBotConfig.ordersPerSide).toBe(1);
    expect(defaultBotConfig.reference).toMatchObject({ method: "HYBRID", trades: 100, twapWeight: 0.6 });
    expect(defaultBotConfig.requoteMode).toBe("event");
  });

  it("is what an empty input parses to", () => {
    expect(parseBotConfig({})).toEqual({ ok: true, config: defaultBotConfig });
    expect(parseBotConfig(undefined)).toEqual({ ok: true, config: defaultBotConfig });
  });
});

describe("parseBotConfig", () => {
  it("fills defaults around partial input", () => {
    const result = parseBotConfig({ band: { maxSpread: 0.005 }, reference: { method: "VWAP" }, requoteMode: "periodic", refreshMs: 500 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.band).toEqual({ minSpread: 0.002, maxSpread: 0.005 });
    expect(result.config.reference.method).toBe("VWAP");
    expect(result.config.reference.trades).toBe(100);
    expect(result.config.refreshMs).toBe(500);
  });

  it.each([
    ["band min >= max", { band: { minSpread: 0.004, maxSpread: 0.004 } }, "band.minSpread", /must be below maxSpread/],
    ["zero min notional", { minNotional: "0" }, "minNotional", /greater than 0/],
    ["negative min notional", { minNotional: "-10" }, "minNotional", /greater than 0/],
    ["min notional as a number", { minNotional: 10000 }, "minNotional", /string/],
    // Issue 12: full-width digits used to reach new Decimal() and throw; now they are a field error like any typo.
    ["full-width digits", { minNotional: "１0000" }, "minNotional", /digits 0-9/],
    ["a NUL byte", { minNotional: "10000\u0000" }, "minNotional", /digits 0-9/],
    ["an exponent", { minNotional: "1e5" }, "minNotional", /decimal string/],
    ["grouping", { minNotional: "10,000" }, "minNotional", /decimal string/],
    ["a 61-digit min notional", { minNotional: "1".repeat(61) }, "minNotional", /at most 1000000000$/],
    ["a 100-digit min notional", { minNotional: "9".repeat(100) }, "minNotional", /at most 1000000000$/],
    ["too many decimals", { minNotional: "1.0000000000000000001" }, "minNotional", /at most 18 decimals/],
    ["a huge position limit", { risk: { maxBasePosition: "1".repeat(30) } }, "risk.maxBasePosition", /at most/],
    ["Arabic-Indic digits in a position limit", { risk: { maxQuotePosition: "٥٠٠" } }, "risk.maxQuotePosition", /digits 0-9/],
    ["zero orders per side", { ordersPerSide: 0 }, "ordersPerSide", /.+/],
    ["negative max spread", { band: { minSpread: 0.001, maxSpread: -0.004 } }, "band.maxSpread", /.+/],
    ["unknown reference method", { reference: { method: "EMA" } }, "reference.method", /unknown reference method/],
    ["target outside the band", { targetFactor: 0.4 }, "targetFactor", /outside the band \[0.002, 0.004\]/],
    ["inner band not containing the target", { hysteresis: { innerMargin: 0.0015 } }, "hysteresis.innerMargin", /must contain/],
    ["levels beyond the band", { ordersPerSide: 3, levelSpacing: 0.0005 }, "levelSpacing", /beyond the inner band/],
    ["a misspelt field", { band: { minSpred: 0.001 } }, "band", /minSpred/],
    ["zero refresh period", { refreshMs: 0 }, "refreshMs", /.+/],
  ])("reports %s at its field path", (_name, input, path, message) => {
    const result = parseBotConfig(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(result.issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });
});

describe("parseBotConfig on any text", () => {
  it("never throws: every string in a decimal field is a value or a field error", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        const result = parseBotConfig({ minNotional: text, risk: { maxBasePosition: text } });
        if (!result.ok) expect(result.issues.every((issue) => issue.path === "minNotional" || issue.path === "risk.maxBasePosition")).toBe(true);
      }),
    );
  });
});

describe("diffConfigs", () => {
  it("lists changed leaves with old and new values", () => {
    const changed = {
      ...defaultBotConfig,
      band: { minSpread: 0.001, maxSpread: 0.004 },
      minNotional: "12000",
      risk: { ...defaultBotConfig.risk, maxBasePosition: "2" },
    };
    expect(diffConfigs(defaultBotConfig, changed)).toEqual([
      { path: "band.minSpread", old: 0.002, new: 0.001 },
      { path: "minNotional", old: "10000", new: "12000" },
      { path: "risk.maxBasePosition", old: undefined, new: "2" },
    ]);
  });

  it("is empty for equal configs", () => {
    expect(diffConfigs(defaultBotConfig, structuredClone(defaultBotConfig))).toEqual([]);
  });
});
