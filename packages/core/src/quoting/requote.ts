import { Decimal } from "../money/decimal";
import type { BotConfig } from "../config/bot-config";
import type { Side } from "../side";
import type { DesiredQuotes, NotQuotedState, QuoteLevel, SideQuote } from "./quote-policy";

/** The planner's view of an order that is (or may be) on the exchange. */
export interface WorkingOrderView {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly remainingQty: Decimal;
  readonly status: "PENDING_NEW" | "NEW" | "PARTIALLY_FILLED" | "PENDING_CANCEL" | "UNKNOWN";
}

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
export function planRequotes(desired: DesiredQuotes, orders: readonly WorkingOrderView[], config: RequoteSettings): RequoteAction[] {
  const actions = [...planSide(desired.bid, desired.reference, orders, config), ...planSide(desired.ask, desired.reference, orders, config)];
  // Places and replaces before cancels: a side is never left empty while it requotes.
  return actions.sort((a, b) => Number(a.kind === "cancel") - Number(b.kind === "cancel"));
}

function planSide(
  quote: SideQuote,
  reference: Decimal | null,
  orders: readonly WorkingOrderView[],
  config: RequoteSettings,
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
  const { insideInnerBand, driftOffset, wideningOffset } = thresholds.offsetsAt(reference);
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
  private readonly fractions: readonly [Decimal, Decimal, Decimal, Decimal];
  private last: { reference: Decimal; offsets: Offsets } | null = null;

  constructor(config: RequoteSettings) {
    const drift = new Decimal(config.hysteresis.driftThreshold);
    this.fractions = [
      new Decimal(config.band.minSpread + config.hysteresis.innerMargin),
      new Decimal(config.band.maxSpread - config.hysteresis.innerMargin),
      drift,
      drift.div(2),
    ];
    this.minNotional = new Decimal(config.minNotional);
  }

  offsetsAt(reference: Decimal): Offsets {
    if (this.last?.reference !== reference) {
      const [innerMin, innerMax, drift, widening] = this.fractions;
      const nearest = reference.times(innerMin);
      const farthest = reference.times(innerMax);
      const [belowLow, belowHigh] = [reference.minus(farthest), reference.minus(nearest)];
      const [aboveLow, aboveHigh] = [reference.plus(nearest), reference.plus(farthest)];
      this.last = {
        reference,
        offsets: {
          insideInnerBand: (price) => (price.gte(belowLow) && price.lte(belowHigh)) || (price.gte(aboveLow) && price.lte(aboveHigh)),
          driftOffset: reference.times(drift),
          wideningOffset: reference.times(widening),
        },
      };
    }
    return this.last.offsets;
  }
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
  readonly due: boolean;
  readonly actions: readonly RequoteAction[];
}

/**
 * periodic mode, as most market-making bots do it: every refreshMs cancel all orders, then place the wanted
 * levels afresh (cancel-then-create, so a side is briefly empty). Between refreshes nothing happens, except that a
 * side that may not be quoted is cancelled at once.
 */
export function planPeriodicRefresh(
  desired: DesiredQuotes,
  orders: readonly WorkingOrderView[],
  now: number,
  lastRefreshAt: number | null,
  refreshMs: number,
): PeriodicPlan {
  const due = lastRefreshAt === null || now - lastRefreshAt >= refreshMs;
  const actions: RequoteAction[] = [];
  for (const quote of [desired.bid, desired.ask]) {
    const live = orders.filter((o) => o.side === quote.side && o.status !== "PENDING_CANCEL");
    if (!quote.quoted) {
      for (const o of live) actions.push({ kind: "cancel", clientOrderId: o.clientOrderId, side: quote.side, reason: quote.state });
      continue;
    }
    if (!due) continue;
    for (const o of live) actions.push({ kind: "cancel", clientOrderId: o.clientOrderId, side: quote.side, reason: "PERIODIC_REFRESH" });
    for (const l of quote.levels) actions.push({ kind: "place", side: quote.side, price: l.price, qty: l.qty, reason: "PERIODIC_REFRESH" });
  }
  return { due, actions };
}
