import { describe, expect, it } from "vitest";
import { BOT_ACTUAL_STATES, type BotActualState, type BotDesiredState, isAsDesired } from "../src/lib/bot-state";

const asDesired: Record<BotDesiredState, BotActualState[]> = {
  RUNNING: ["QUOTING", "DEGRADED"],
  PAUSED: ["PAUSED"],
  STOPPED: ["STOPPED"],
};

describe("isAsDesired", () => {
  const cases = (Object.keys(asDesired) as BotDesiredState[]).flatMap((desired) =>
    BOT_ACTUAL_STATES.map((actual) => [desired, actual, asDesired[desired].includes(actual)] as const),
  );

  it.each(cases)("desired %s, actual %s -> %s", (desired, actual, expected) => {
    expect(isAsDesired(desired, actual)).toBe(expected);
  });
});
