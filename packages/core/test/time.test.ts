import { describe, expect, it } from "vitest";
import { ManualClock, SequentialIdGenerator } from "../src/time";

describe("ManualClock", () => {
  it("moves only when told, with fractional milliseconds", () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(0.25);
    expect(clock.now()).toBe(1_000.25);
    clock.set(2_000);
    expect(clock.now()).toBe(2_000);
  });

  it("refuses to go back in time", () => {
    const clock = new ManualClock(1_000);
    expect(() => clock.set(999)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});

describe("SequentialIdGenerator", () => {
  it("yields deterministic ids", () => {
    const ids = new SequentialIdGenerator("bk1-");
    expect([ids.next(), ids.next(), ids.next()]).toEqual(["bk1-1", "bk1-2", "bk1-3"]);
  });

  it("rejects prefixes the exchange would not accept", () => {
    expect(() => new SequentialIdGenerator("bad prefix")).toThrow(RangeError);
  });
});
