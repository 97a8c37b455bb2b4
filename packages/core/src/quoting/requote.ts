import { Decimal } from "../money/decimal";
import type { BotConfig } from "../config/bot-config";
import type { Side } from "../side";
import type { WorkingOrderView } from "../orders/working-order-view";
import type { DesiredQuotes, NotQuotedState, QuoteLevel, SideQuote } from "./quote-policy";

export type { WorkingOrderView } from "../orders/working-order-view";

export type RequoteReason =
  /** No order covers a wanted level. */
  | "MISSING_LEVEL"
  /** Left the inner band [minSpread + innerMargin, maxSpread - innerMargin]. */
  | "OUTSIDE_INNER_BAND"
  /** Farther than driftThreshold from its target price. */
  | "DRIFTED"
  /** A sweep heads to the side and the order sits nearer to R than its target by over driftThreshold / 2. */
  | "WIDENING"
  /** Remaining notional below minNotional (after partial fills). */
  | "UNDERSIZED"
  /** More orders on the side than wanted levels. */
  | "EXCESS"
  /** periodic mode's scheduled cancel-then-create. */
  | "PERIODIC_REFRESH"
  | NotQuotedState;

/**
 * Why an order request is sent, most urgent first. RESTORE: a side lacks a valid order, or an order is leaving the
 * band or too small (the KPIs fail now or at the next move); REQUOTE: an order drifted from its target, or one too
 * many, while still valid. Budgets keep the last share of each limit for RESTORE.
 */
export type OrderPriority = "RESTORE" | "REQUOTE";

/** Requotes of orders that are still valid; every other reason restores a side or an order leaving the band. */
const DISCRETIONARY: ReadonlySet<RequoteReason> = new Set<RequoteReason>(["DRIFTED", "WIDENING", "EXCESS", "PERIODIC_REFRESH"]);

export function priorityOf(reason: RequoteReason): OrderPriority {
  return DISCRETIONARY.has(reason) ? "REQUOTE" : "RESTORE";
}

/**
 * `replace` means: get the new order acknowledged before the old one is cancelled (or use cancelReplace), so the
 * side is never empty. Actions for one side are listed in the order they should be sent.
 */
export type RequoteAction =
  | { readonly kind: "place"; readonly side: Side; readonly price: Decimal; readonly qty: Decimal; readonly reason: RequoteReason }
  | {
      readonly kind: "replace";
      readonly clientOrderId: string;
      readonly side: Side;
      readonly price: Decimal;
      readonly qty: Decimal;
      readonly reason: RequoteReason;
    }
  | { readonly kind: "cancel"; readonly clientOrderId: string; readonly side: Side; readonly reason: RequoteReason };

type RequoteSettings = Pick<BotConfig, "band" | "hysteresis" | "minNotional"> & { readonly reference: Pick<BotConfig["reference"], "onStale"> };

/**
 * Event-mode requoting with hysteresis. An order is kept while it sits inside the inner band and within the drift
 * threshold of the level it is matched with (within half of it on the near side while a sweep heads to the side),
 * or exactly at that level's price; orders awaiting an
 * acknowledgement or an outcome (PENDING_NEW, UNKNOWN) are kept until they resolve, so nothing is placed twice;
 * PENDING_CANCEL orders are already leaving and are ignored. Kept orders still need their remaining notional to be
 * at least minNotional. Places and replaces come before cancels in the returned list.
 */
export function planRequotes(desired: DesiredQuotes, orders: readonly WorkingOrderView[], config: RequoteSettings, guard = 0): RequoteAction[] {
  let bid = planSide(desired.bid, desired.reference, orders, config, guard, guard);
  let ask = planSide(desired.ask, desired.reference, orders, config, guard, guard);
  // One side moving for a drift or the band's edge means R moved: the other side, if it has used much of its own
  // room, moves in the same round trip rather than one later (two staggered requotes make one longer breach).
  const COUPLED = config.hysteresis.driftThreshold;
  if (movesForTheMarket(bid) && ask.length === 0) ask = planSide(desired.ask, desired.reference, orders, config, COUPLED, guard);
  else if (movesForTheMarket(ask) && bid.length === 0) bid = planSide(desired.bid, desired.reference, orders, config, COUPLED, guard);
  const actions = [...bid, ...ask];
  // Places and replaces before cancels: a side is never left empty while it requotes.
  return actions.sort((a, b) => Number(a.kind === "cancel") - Number(b.kind === "cancel"));
}

function planSide(
  quote: SideQuote,
  reference: Decimal | null,
  orders: readonly WorkingOrderView[],
  config: RequoteSettings,
  driftGuard: number,
  edgeGuard: number,
): RequoteAction[] {
  const side = quote.side;
  const live = orders.filter((o) => o.side === side && o.status !== "PENDING_CANCEL");
  if (!quote.quoted) {
    const holding = config.reference.onStale === "HOLD" && (quote.state === "STALE_MARKET_DATA" || quote.state === "NO_REFERENCE");
    if (holding) return [];
    return live.map((o) => ({ kind: "cancel", clientOrderId: o.clientOrderId, side, reason: quote.state }));
  }
  if (!reference) throw new Error("quoted side without a reference price");
  const thresholds = thresholdsOf(config);
  const { insideInnerBand, driftOffset, wideningOffset } = thresholds.offsetsAt(reference, driftGuard, edgeGuard);
  const minNotional = thresholds.minNotional;

  const unclaimed: QuoteLevel[] = [...quote.levels];
  const toChange: { order: WorkingOrderView; reason: RequoteReason }[] = [];
  // Nearest orders to R first, so each level goes to the order closest to it.
  const sorted = [...live].sort((a, b) => a.price.minus(reference).abs().comparedTo(b.price.minus(reference).abs()));
  for (const order of sorted) {
    if (order.status === "PENDING_NEW" || order.status === "UNKNOWN") {
      claimNearest(unclaimed, order.price);
      continue;
    }
    const level = claimNearest(unclaimed, order.price);
    if (!level) {
      toChange.push({ order, reason: "EXCESS" });
      continue;
    }
    const reason: RequoteReason | null = order.remainingQty.times(order.price).lt(minNotional)
      ? "UNDERSIZED"
      : order.price.eq(level.price)
        ? null
        : !insideInnerBand(order.price)
          ? "OUTSIDE_INNER_BAND"
          : order.price.minus(level.price).abs().gt(driftOffset)
            ? "DRIFTED"
            : quote.threatened && nearerThanTarget(side, order.price, level.price).gt(wideningOffset)
              ? "WIDENING"
              : null;
    if (reason) {
      unclaimed.push(level);
      toChange.push({ order, reason });
    }
  }

  const actions: RequoteAction[] = [];
  for (const { order, reason } of toChange) {
    const level = reason === "EXCESS" ? undefined : claimNearest(unclaimed, order.price);
    if (level) actions.push({ kind: "replace", clientOrderId: order.clientOrderId, side, price: level.price, qty: level.qty, reason });
    else actions.push({ kind: "cancel", clientOrderId: order.clientOrderId, side, reason });
  }
  for (const level of unclaimed) actions.push({ kind: "place", side, price: level.price, qty: level.qty, reason: "MISSING_LEVEL" });
  return actions;
}

function movesForTheMarket(actions: readonly RequoteAction[]): boolean {
  return actions.some((a) => a.kind === "replace" && (a.reason === "DRIFTED" || a.reason === "OUTSIDE_INNER_BAND"));
}

/** How much nearer to R than `target` the price is (negative when farther). */
function nearerThanTarget(side: Side, price: Decimal, target: Decimal): Decimal {
  return side === "BUY" ? price.minus(target) : target.minus(price);
}

interface Offsets {
  /** |price - R| within [R x innerMin, R x innerMax], as price intervals below and above R. */
  readonly insideInnerBand: (price: Decimal) => boolean;
  readonly driftOffset: Decimal;
  /** A sweep predicts a touch, so moving away from it gets through hysteresis sooner than ordinary drift does. */
  readonly wideningOffset: Decimal;
}

/**
 * The hysteresis settings as decimals, and as absolute offsets from R so that each order is checked without a
 * division. Equal settings share one instance, and the offsets are kept for the last R: bots reading one market
 * view get the same R object for an event, so the first of them computes the offsets and the rest reuse them.
 */
class Thresholds {
  readonly minNotional: Decimal;
  private readonly innerMin: number;
  private readonly innerMax: number;
  private readonly drift: number;
  private last: { reference: Decimal; driftGuard: number; edgeGuard: number; offsets: Offsets } | null = null;

  constructor(config: RequoteSettings) {
    this.innerMin = config.band.minSpread + config.hysteresis.innerMargin;
    this.innerMax = config.band.maxSpread - config.hysteresis.innerMargin;
    this.drift = config.hysteresis.driftThreshold;
    this.minNotional = new Decimal(config.minNotional);
  }

  /**
   * Guards (fractions of R): how far R may move while a response is on its way. The inner band narrows by
   * `edgeGuard` (capped as bandGuard says) and the drift threshold shrinks by `driftGuard` (capped at 0.4 x itself),
   * so an order is replaced while it is still valid and the replacement is acknowledged before the old order would
   * breach. The two differ only when the other side moves with its partner (planRequotes' coupling).
   */
  offsetsAt(reference: Decimal, driftGuard: number, edgeGuard: number): Offsets {
    const g = Math.min(Math.max(0, driftGuard), 0.4 * this.drift);
    const gBand = bandGuardOf(this.innerMin, this.innerMax, this.drift, edgeGuard);
    if (this.last?.reference !== reference || this.last.driftGuard !== driftGuard || this.last.edgeGuard !== edgeGuard) {
      const nearest = reference.times(this.innerMin + gBand);
      const farthest = reference.times(this.innerMax - gBand);
      const [belowLow, belowHigh] = [reference.minus(farthest), reference.minus(nearest)];
      const [aboveLow, aboveHigh] = [reference.plus(nearest), reference.plus(farthest)];
      this.last = {
        reference,
        driftGuard,
        edgeGuard,
        offsets: {
          insideInnerBand: (price) => (price.gte(belowLow) && price.lte(belowHigh)) || (price.gte(aboveLow) && price.lte(aboveHigh)),
          driftOffset: reference.times(this.drift - g),
          wideningOffset: reference.times(this.drift / 2),
        },
      };
    }
    return this.last.offsets;
  }
}

/**
 * How far the inner band narrows for a guard: all of it, up to where the narrowed band still reaches half a drift
 * threshold either side of the band's middle (0.27%..0.33% by default). An order is replaced that much before it
 * could leave the band, so on a slow link or a fast market the replacement rests before the old order breaches (a
 * cancel and its replacement take one round trip). Narrower still, every small move would requote and a fast
 * market would spend the account's order budget. The drift threshold shrinks by at most 0.4 x itself, for the same
 * reason.
 */
export function bandGuard(config: Pick<BotConfig, "band" | "hysteresis">, guard: number): number {
  const { band, hysteresis } = config;
  return bandGuardOf(band.minSpread + hysteresis.innerMargin, band.maxSpread - hysteresis.innerMargin, hysteresis.driftThreshold, guard);
}

function bandGuardOf(innerMin: number, innerMax: number, drift: number, guard: number): number {
  const cap = Math.max(0.4 * drift, (innerMax - innerMin) / 2 - drift / 2);
  return Math.min(Math.max(0, guard), cap);
}

const thresholdsByConfig = new WeakMap<RequoteSettings, Thresholds>();
const thresholdsBySettings = new Map<string, Thresholds>();

function thresholdsOf(config: RequoteSettings): Thresholds {
  let thresholds = thresholdsByConfig.get(config);
  if (!thresholds) {
    const { band, hysteresis, minNotional } = config;
    const key = [band.minSpread, band.maxSpread, hysteresis.innerMargin, hysteresis.driftThreshold, minNotional].join("|");
    thresholds = thresholdsBySettings.get(key) ?? new Thresholds(config);
    thresholdsBySettings.set(key, thresholds);
    thresholdsByConfig.set(config, thresholds);
  }
  return thresholds;
}

function claimNearest(levels: QuoteLevel[], price: Decimal): QuoteLevel | undefined {
  let best = -1;
  for (let i = 0; i < levels.length; i++) {
    const candidate = levels[i] as QuoteLevel;
    if (best < 0 || candidate.price.minus(price).abs().lt((levels[best] as QuoteLevel).price.minus(price).abs())) best = i;
  }
  return best < 0 ? undefined : levels.splice(best, 1)[0];
}

export interface PeriodicPlan {
  /** True when the plan places orders afresh: the caller starts the next refresh interval from now. */
  readonly placing: boolean;
  readonly actions: readonly RequoteAction[];
}

/**
 * periodic mode, the loop most market-making bots run (Hummingbot's pure market making): on each tick of the bot's
 * clock, orders older than refreshMs are all cancelled; nothing is placed until every cancel is confirmed; on the
 * first tick with no working order the wanted levels are placed afresh. Between refreshes market moves change
 * nothing, so a side is empty for a round trip plus up to a tick at every refresh, and an order stays where it is
 * however far the reference runs.
 */
export function planPeriodicRefresh(
  desired: DesiredQuotes,
  orders: readonly WorkingOrderView[],
  now: number,
  lastPlacedAt: number | null,
  refreshMs: number,
): PeriodicPlan {
  if (orders.length > 0) {
    const due = lastPlacedAt === null || now - lastPlacedAt >= refreshMs;
    if (!due) return { placing: false, actions: [] };
    const actions: RequoteAction[] = orders
      .filter((o) => o.status !== "PENDING_CANCEL")
      .map((o) => ({ kind: "cancel", clientOrderId: o.clientOrderId, side: o.side, reason: "PERIODIC_REFRESH" }));
    return { placing: false, actions };
  }
  const actions: RequoteAction[] = [];
  for (const quote of [desired.bid, desired.ask]) {
    if (!quote.quoted) continue;
    for (const l of quote.levels) actions.push({ kind: "place", side: quote.side, price: l.price, qty: l.qty, reason: "PERIODIC_REFRESH" });
  }
  return { placing: actions.length > 0, actions };
}
