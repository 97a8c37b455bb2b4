// Two-sided presence as the exchange sees it: once a second the soak reads what rests on the simulator's book and
// counts a bot two-sided when it has a bid and an ask resting, each with at least the bot's minimum notional left.
// Samples are split into those inside an injected fault's window (the fault plus its recovery allowance) and the
// rest, where the fleet must hold two-sided presence.
import Decimal from "decimal.js";
import type { OpenSnapshot } from "./simulator-host";

export interface PresenceSample {
  atMs: number;
  /** Per bot, in the desk's bot order. */
  twoSided: boolean[];
}

export interface BotKey {
  apiKey: string;
  symbol: string;
}

export interface FaultWindow {
  kind: string;
  startMs: number;
  /** When the fault was switched off (a killed process restarted). */
  faultEndMs: number;
  /** faultEndMs plus the recovery allowance. */
  endMs: number;
}

export function twoSidedBots(snapshot: OpenSnapshot, bots: readonly BotKey[], minNotional: Decimal.Value): boolean[] {
  const minimum = new Decimal(minNotional);
  return bots.map(({ apiKey, symbol }) => {
    const sides = new Set<string>();
    for (const order of snapshot.open) {
      if (order.apiKey !== apiKey || order.symbol !== symbol) continue;
      const remaining = new Decimal(order.origQty).minus(order.executedQty).times(order.price);
      if (remaining.gte(minimum)) sides.add(order.side);
    }
    return sides.has("BUY") && sides.has("SELL");
  });
}

export interface PresenceFigures {
  samples: number;
  /** Bot-samples two-sided / bot-samples; null without samples. */
  twoSided: number | null;
}

export interface PresenceReport {
  insideOutages: PresenceFigures;
  outsideOutages: PresenceFigures;
  /** Outside the outage windows, per bot (desk order). */
  outsidePerBot: (number | null)[];
}

export function presenceReport(samples: readonly PresenceSample[], windows: readonly FaultWindow[], botCount: number): PresenceReport {
  const tally = () => ({ samples: 0, botSamples: 0, twoSided: 0 });
  const inside = tally();
  const outside = tally();
  const perBot = Array.from({ length: botCount }, () => ({ samples: 0, twoSided: 0 }));
  for (const sample of samples) {
    const inOutage = windows.some((window) => sample.atMs >= window.startMs && sample.atMs <= window.endMs);
    const target = inOutage ? inside : outside;
    target.samples += 1;
    sample.twoSided.forEach((present, bot) => {
      target.botSamples += 1;
      if (present) target.twoSided += 1;
      const own = perBot[bot];
      if (!inOutage && own) {
        own.samples += 1;
        if (present) own.twoSided += 1;
      }
    });
  }
  const figures = (t: ReturnType<typeof tally>): PresenceFigures => ({
    samples: t.samples,
    twoSided: t.botSamples === 0 ? null : round(t.twoSided / t.botSamples),
  });
  return {
    insideOutages: figures(inside),
    outsideOutages: figures(outside),
    outsidePerBot: perBot.map((bot) => (bot.samples === 0 ? null : round(bot.twoSided / bot.samples))),
  };
}

export interface OutageMeasure {
  /** Seconds inside the window during which some bot was not two-sided (one sample a second). */
  degradedS: number;
  /** From the fault's end until every bot was two-sided again; null if that never happened inside the window. */
  recoveredAfterS: number | null;
}

export function measureOutage(samples: readonly PresenceSample[], window: FaultWindow, intervalMs: number): OutageMeasure {
  const within = samples.filter((sample) => sample.atMs >= window.startMs && sample.atMs <= window.endMs);
  const degraded = within.filter((sample) => sample.twoSided.some((present) => !present)).length;
  const recovered = within.find((sample) => sample.atMs >= window.faultEndMs && sample.twoSided.every(Boolean));
  return {
    degradedS: (degraded * intervalMs) / 1000,
    recoveredAfterS: recovered ? Math.max(0, (recovered.atMs - window.faultEndMs) / 1000) : null,
  };
}

/** Samples the book every `intervalMs` until stopped; a failed read is counted, not fatal. */
export class PresenceSampler {
  readonly samples: PresenceSample[] = [];
  failedReads = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly read: () => Promise<OpenSnapshot>,
    private readonly bots: readonly BotKey[],
    private readonly minNotional: string,
    private readonly startedAt: number,
    readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const snapshot = await this.read();
      this.samples.push({ atMs: snapshot.time - this.startedAt, twoSided: twoSidedBots(snapshot, this.bots, this.minNotional) });
    } catch {
      this.failedReads += 1;
    } finally {
      this.reading = false;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}
