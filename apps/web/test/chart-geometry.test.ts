import { describe, expect, it } from "vitest";
import { linePath, nearestTime, stretches, valueTimes } from "../src/components/chart-geometry";

const points = (...values: (number | null)[]) => values.map((v, i) => ({ t: i * 60, v }));

describe("stretches", () => {
  it("without gapMs, a null value breaks the line", () => {
    expect(stretches(points(1, 2, null, 3))).toEqual([
      [
        { t: 0, v: 1 },
        { t: 60, v: 2 },
      ],
      [{ t: 180, v: 3 }],
    ]);
  });

  it("with gapMs, a null is stepped over and only a missing period breaks the line", () => {
    const withMissing = [...points(1, null, 2), { t: 600, v: 4 }];
    expect(stretches(withMissing, 90)).toEqual([
      [
        { t: 0, v: 1 },
        { t: 120, v: 2 },
      ],
      [{ t: 600, v: 4 }],
    ]);
  });

  it("a line of only nulls has no stretches", () => {
    expect(stretches(points(null, null), 90)).toEqual([]);
  });
});

describe("linePath", () => {
  it("starts each stretch with a zero-length segment, so a lone point shows as a dot", () => {
    expect(linePath([[{ x: 0, y: 1 }, { x: 10, y: 2 }], [{ x: 20, y: 3 }]])).toBe("M0.0,1.00h0L10.0,2.00M20.0,3.00h0");
  });
});

describe("nearestTime", () => {
  it.each([
    [-5, 0],
    [29, 0],
    [31, 60],
    [130, 120],
    [1_000, 180],
  ])("at %d picks %d", (t, expected) => {
    expect(nearestTime([0, 60, 120, 180], t)).toBe(expected);
  });

  it("has nothing to pick without times", () => {
    expect(nearestTime([], 10)).toBeUndefined();
  });
});

describe("valueTimes", () => {
  it("lists the distinct times with a value, sorted", () => {
    expect(valueTimes([{ points: [{ t: 60, v: 1 }, { t: 0, v: null }] }, { points: [{ t: 60, v: 2 }, { t: 30, v: 0 }] }])).toEqual([30, 60]);
  });
});
