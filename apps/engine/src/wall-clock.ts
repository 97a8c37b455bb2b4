import type { Clock } from "@bandkeeper/core";

/** Live time with sub-millisecond resolution: latencies are measured in microseconds. */
export const wallClock: Clock = { now: () => performance.timeOrigin + performance.now() };
