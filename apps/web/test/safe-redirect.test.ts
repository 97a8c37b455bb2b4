import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "../src/lib/safe-redirect";

describe("safeCallbackPath", () => {
  it.each([
    ["/bots", "/bots"],
    ["/bots?symbol=BTCUSDT", "/bots?symbol=BTCUSDT"],
    [["/", "/bots"], "/"],
  ])("follows the same-site path %j", (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });

  it.each([
    [undefined],
    [""],
    ["https://evil.example/bots"],
    ["//evil.example/bots"],
    ["/\\evil.example"],
    ["bots"],
  ])("falls back to the overview for %j", (value) => {
    expect(safeCallbackPath(value)).toBe("/");
  });
});
