import { describe, expect, it } from "vitest";
import { faultPhaseEventRate } from "../src/event-rate";

const START = 1_000_000;
const at = (minute: number, second: number) => START + minute * 60_000 + second * 1000;

describe("the fault phase's event rate", () => {
  it("counts rows per bot and whole minute, quiet bot-minutes as zero, and leaves start-up and the stop out", () => {
    const events = [
      { botId: "a", time: START - 5_000 }, // start-up, before the phase
      ...Array.from({ length: 12 }, (_, i) => ({ botId: "a", time: at(0, i) })),
      { botId: "b", time: at(1, 30) },
      { botId: "b", time: at(1, 59.999) },
      { botId: "a", time: at(2, 1) }, // the graceful stop, after the 2-minute phase
    ];
    const rate = faultPhaseEventRate(events, ["a", "b"], START, 2.5);
    // 14 rows over 2 bots x 2 whole minutes.
    expect(rate).toEqual({ minutes: 2, rows: 14, perBotPerMinute: 3.5, busiestMinute: { minute: 0, perBot: 6 }, busiest: { botId: "a", minute: 0, rows: 12 }, botMinutesAtOrOver10: 1 });
  });

  it("reads no events as a rate of 0", () => {
    expect(faultPhaseEventRate([], ["a"], START, 1)).toEqual({ minutes: 1, rows: 0, perBotPerMinute: 0, busiestMinute: null, busiest: null, botMinutesAtOrOver10: 0 });
  });
});
