// The progress line: at most every two seconds of wall time, simulated time done of the total and events per second.
import { describe, expect, it } from "vitest";
import { progressPrinter } from "../../src/replay/progress";

describe("progressPrinter", () => {
  it("prints every two seconds of wall time, in hours for long tapes, and the end at once if it printed before", () => {
    const lines: string[] = [];
    let wall = 0;
    const print = progressPrinter((line) => lines.push(line), () => wall);
    const total = 59 * 3_600_000;
    wall = 1_000;
    print({ doneMs: 3_600_000, totalMs: total, happenings: 10_000 });
    wall = 2_500;
    print({ doneMs: 7_200_000, totalMs: total, happenings: 50_000 });
    wall = 3_000;
    print({ doneMs: 9_000_000, totalMs: total, happenings: 60_000 });
    wall = 3_500;
    print({ doneMs: total, totalMs: total, happenings: 100_000 });
    expect(lines).toEqual(["replay: 2.00 h of 59.00 h simulated (3.4%), 20,000 events/s", "replay: 59.00 h of 59.00 h simulated (100.0%), 28,571 events/s"]);
  });

  it("stays silent on a tape that replays in under two seconds", () => {
    const lines: string[] = [];
    let wall = 0;
    const print = progressPrinter((line) => lines.push(line), () => wall);
    wall = 1_500;
    print({ doneMs: 600_000, totalMs: 600_000, happenings: 9_000 });
    expect(lines).toEqual([]);
  });
});
