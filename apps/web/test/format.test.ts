import { describe, expect, it } from "vitest";
import { formatAge, formatDistance, formatPercent, formatPrice, priceDecimals } from "../src/lib/format";

describe("formatting for the trading views", () => {
  it.each([
    ["60000", undefined, "60,000.00"],
    ["59784.98", undefined, "59,784.98"],
    ["0.00012345", undefined, "0.00012345"],
    ["549.7587088570026358", 2, "549.76"],
    ["549.754", 2, "549.75"],
    ["999.995", 2, "1,000.00"],
    ["-12.345", 2, "-12.35"],
    [null, undefined, "—"],
  ] as const)("formatPrice(%s, %s) = %s", (value, decimals, expected) => {
    expect(formatPrice(value, decimals)).toBe(expected);
  });

  it("shows as many decimals as the market's prices, at least two", () => {
    expect(priceDecimals("549.52")).toBe(2);
    expect(priceDecimals("0.01234000")).toBe(5);
    expect(priceDecimals("60000.00000000")).toBe(2);
    expect(priceDecimals(null)).toBe(2);
  });

  it("signs distances from the reference and keeps ratios near 100% distinguishable", () => {
    expect(formatDistance(-0.003)).toBe("−0.300%");
    expect(formatDistance(0.00348)).toBe("+0.348%");
    expect(formatDistance(null)).toBe("—");
    expect(formatPercent(0.99949, 3)).toBe("99.949%");
  });

  it("says how long ago briefly", () => {
    expect(formatAge(850)).toBe("0.8 s");
    expect(formatAge(42_000)).toBe("42 s");
    expect(formatAge(600_000)).toBe("10 min");
    expect(formatAge(3 * 3_600_000)).toBe("3 h");
  });
});
