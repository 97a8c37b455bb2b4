// How fast the event table grew in the fault phase: per bot and whole minute from the phase's start (a minute
// with no rows counts as 0), the mean and the busiest bot-minute. Issue 11 asks for fewer than 10 rows per bot
// per minute in a volatile soak minute; start-up (each bot's STARTING, HALTED, QUOTING) is not in the phase.

export interface EventTime {
  readonly botId: string;
  /** Epoch ms. */
  readonly time: number;
}

export interface EventRate {
  readonly minutes: number;
  readonly rows: number;
  readonly perBotPerMinute: number;
  /** The busiest minute: its rows per bot (the measure), and which minute it was. */
  readonly busiestMinute: { readonly minute: number; readonly perBot: number } | null;
  readonly busiest: { readonly botId: string; readonly minute: number; readonly rows: number } | null;
  /** Bot-minutes with 10 rows or more. */
  readonly botMinutesAtOrOver10: number;
}

export function faultPhaseEventRate(events: readonly EventTime[], botIds: readonly string[], phaseStart: number, minutes: number): EventRate {
  const whole = Math.max(1, Math.floor(minutes));
  const counts = new Map<string, number>();
  const perMinute = new Map<number, number>();
  let rows = 0;
  for (const event of events) {
    const minute = Math.floor((event.time - phaseStart) / 60_000);
    if (minute < 0 || minute >= whole) continue;
    rows += 1;
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    const key = `${event.botId} ${minute}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let busiest: EventRate["busiest"] = null;
  let over = 0;
  for (const [key, count] of counts) {
    if (count >= 10) over += 1;
    if (!busiest || count > busiest.rows) {
      const [botId = "", minute = "0"] = key.split(" ");
      busiest = { botId, minute: Number(minute), rows: count };
    }
  }
  const bots = Math.max(1, botIds.length);
  let busiestMinute: EventRate["busiestMinute"] = null;
  for (const [minute, count] of perMinute) {
    if (!busiestMinute || count / bots > busiestMinute.perBot) busiestMinute = { minute, perBot: round2(count / bots) };
  }
  return { minutes: whole, rows, perBotPerMinute: round2(rows / bots / whole), busiestMinute, busiest, botMinutesAtOrOver10: over };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
