import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/replay/event-queue";

describe("EventQueue", () => {
  it("pops by time, and in scheduling order within one instant", () => {
    const queue = new EventQueue<string>();
    const scheduled: [number, string][] = [
      [30, "c1"],
      [10, "a1"],
      [20, "b1"],
      [10, "a2"],
      [30, "c2"],
      [10.5, "a3"],
      [10, "a4"],
    ];
    for (const [time, item] of scheduled) queue.push(time, item);
    const popped: string[] = [];
    for (let next = queue.pop(); next; next = queue.pop()) popped.push(next.item);
    expect(popped).toEqual(["a1", "a2", "a4", "a3", "b1", "c1", "c2"]);
    expect(queue.size).toBe(0);
  });

  it("keeps the order over many interleaved pushes and pops", () => {
    const queue = new EventQueue<number>();
    const times = Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 503);
    times.forEach((time, i) => queue.push(time, i));
    let last = { time: -1, item: -1 };
    for (let next = queue.pop(); next; next = queue.pop()) {
      expect(next.time > last.time || (next.time === last.time && next.item > last.item)).toBe(true);
      last = next;
    }
  });

  it("refuses a time that is not finite", () => {
    expect(() => new EventQueue<string>().push(Number.NaN, "x")).toThrow(RangeError);
  });
});
