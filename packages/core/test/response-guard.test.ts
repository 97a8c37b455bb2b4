// The response guard: how far R may move while a response is on its way, learnt from the bot's own round trips and
// the reference's own moves.
import { describe, expect, it } from "vitest";
import { ResponseGuard } from "../src/quoting";

describe("ResponseGuard", () => {
  it("is 0 until a round trip is known", () => {
    const guard = new ResponseGuard();
    guard.onReference(0, 100);
    guard.onReference(10, 101);
    expect(guard.guard(20)).toBe(0);
  });

  it("remembers a jump for a minute: a calm stretch after it does not bring the guard down", () => {
    const guard = new ResponseGuard();
    guard.onRoundTrip(20);
    guard.onReference(0, 100);
    guard.onReference(10, 100.1); // 0.0999% within one round trip
    const jump = 0.1 / 100.1;
    // Calm: a tick of 0.0001% every second for two minutes.
    let price = 100.1;
    for (let t = 1_000; t <= 120_000; t += 1_000) {
      price += 0.0001;
      guard.onReference(t, price);
      if (t === 30_000) expect(guard.guard(t)).toBeCloseTo(jump, 9);
      if (t === 59_000) expect(guard.guard(t)).toBeCloseTo(jump, 9);
    }
    // A minute after the jump it is forgotten: what remains is the calm tape's own diffusion and tail.
    const calm = guard.guard(120_000);
    expect(calm).toBeLessThan(jump / 50);
    expect(calm).toBeGreaterThan(0);
  });

  it("takes the largest of the recent jumps, and the later one once the larger has expired", () => {
    const guard = new ResponseGuard();
    guard.onRoundTrip(20);
    guard.onReference(0, 100);
    guard.onReference(10, 100.2); // large
    guard.onReference(30_000, 100.2 * 1.0005); // smaller, later: 0.05%
    expect(guard.guard(40_000)).toBeCloseTo(0.2 / 100.2, 9);
    expect(guard.guard(70_000)).toBeCloseTo(1 - 1 / 1.0005, 9);
    expect(guard.guard(100_001)).toBe(0);
  });

  it("counts a trend's move over the last round trip at once", () => {
    const guard = new ResponseGuard();
    guard.onRoundTrip(100);
    guard.onReference(0, 100);
    guard.onReference(50, 99.9);
    guard.onReference(90, 99.8);
    expect(guard.guard(95)).toBeCloseTo(0.2 / 99.8, 9);
  });
});
