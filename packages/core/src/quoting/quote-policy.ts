import { Decimal } from "../money/decimal";
import type { NotionalUnits } from "../money/fixed-point";
import {
  checkPercentPriceBySide,
  quantityForNotional,
  roundPrice,
  validateOrder,
  validateOrderOnGrid,
  type Instrument,
  type OrderValidation,
} from "../money/instrument";
import type { BotConfig } from "../config/bot-config";
import type { BookTop } from "../pricing/market-data";
import type { ReferencePrice } from "../pricing/reference-price";
import type { Side } from "../side";
import type { SweepSignal } from "./sweep-detector";
import type { TradeActivity } from "./trade-activity";
import { bandGuard } from "./requote";
import { QuoteBand as Band } from "./band-ticks";
import type { NotQuotedState, QuoteRestrictions } from "../not-quoted";

export { NOT_QUOTED_STATES, type NotQuotedState, type QuoteRestrictions, type SideBlock } from "../not-quoted";

export interface QuoteInputs {
  readonly reference: ReferencePrice;
  /**
   * The market's best prices. Ideally without our own orders (the engine subtracts its own quantity at the
   * touch); with them, the touch rule only becomes more conservative.
   */
  readonly book: BookTop | null;
  /** Realised volatility over the configured window (fraction), from VolatilityEstimator. */
  readonly volatility: number;
  readonly sweep: SweepSignal;
  /** How busy the tape is (absent: treated as liquid, the quotes sit at the target). */
  readonly activity?: TradeActivity;
  /**
   * How far R may move during one of the bot's responses (fraction; the bot's ResponseGuard). The target moves
   * that much toward the middle of the band, where a quote survives the largest move either way.
   */
  readonly guard?: number;
  readonly restrictions?: QuoteRestrictions;
}

export interface QuoteLevel {
  readonly side: Side;
  readonly price: Decimal;
  readonly qty: Decimal;
  /** |price - R| / R after rounding. */
  readonly distance: Decimal;
}

export type SideQuote =
  | {
      readonly side: Side;
      readonly quoted: true;
      readonly levels: readonly QuoteLevel[];
      /** Distance asked for before rounding (fraction), and whether fill avoidance pushed it past the target. */
      readonly targetDistance: number;
      readonly widened: boolean;
      /** A sweep heads to this side: resting orders nearer than the target should move out now. */
      readonly threatened: boolean;
      /** The band lies inside the book's touch, so the quote is the best price: unavoidable, but worth showing. */
      readonly atTouch: boolean;
    }
  | { readonly side: Side; readonly quoted: false; readonly state: NotQuotedState; readonly reason: string };

/** A quote price: in ticks when it was placed on the grid. */
type Placed = { ok: true; price: Decimal; ticks: number | null; atTouch: boolean } | { ok: false; reason: string };

export interface DesiredQuotes {
  readonly reference: Decimal | null;
  readonly bid: SideQuote;
  readonly ask: SideQuote;
}

/**
 * Computes the quotes a bot wants, from the reference price R:
 * - distance d = targetFactor x maxSpread, plus volatilityWidenFactor x volatility, plus the thin-market term, plus
 *   sweepWiden on the side a sweep heads to, plus what risk asks for. Thin market: thinness in [0, 1] is the largest
 *   of (30 - prints per minute) / 24, the book's half-spread / minSpread, and (mean print notional / order notional
 *   - 1/4) / (3/4), each clipped to [0, 1] and the whole rounded to eighths; it moves the quote by thinness x the
 *   room left up to the widening cap. A pair that prints rarely, with a wide book or prints as big as our order
 *   fills a resting quote with the next print that reaches it, so there the bot sits near the band's outer edge; a
 *   liquid pair (BTCUSDT: hundreds of small prints a minute, a one-tick book) gets 0 and sits at the target.
 *   Volatility, thin-market and risk widening stop half a drift threshold inside the inner band's edge
 *   (maxSpread - innerMargin), so a widened order is not requoted at the reference's next move; a sweep may push
 *   up to the edge itself. Level i sits i x levelSpacing deeper.
 * - bid = R x (1 - d) rounded down to the tick, ask = R x (1 + d) rounded up.
 * - Touch rule (post-only): a bid is always below the best ask and an ask above the best bid, or the exchange
 *   would reject the LIMIT_MAKER order. A quote that would improve the touch (bid above the best bid) moves one
 *   tick behind the touch, else joins it, as long as that stays inside the inner band (so R can still move
 *   without the quote leaving the band); when the inner band lies inside the book's spread there is no such
 *   price and the quote stays at its band price, flagged atTouch.
 * - After rounding and the touch rule the distance is checked against [minSpread, maxSpread] again; one tick
 *   toward R repairs rounding past maxSpread, anything else is BAND_UNREACHABLE.
 * - Size: minNotional x (1 + notionalMargin), the quantity rounded up to the step (at least minQty).
 */
export class QuotePolicy {
  private readonly minSpread: Decimal;
  private readonly maxSpread: Decimal;
  private readonly notional: Decimal;
  private readonly notionalNumber: number;
  private readonly minQtyOnStep: Decimal;
  /** The order notional and minQty in grid units: sizing a quote on the grid is integer arithmetic. */
  private readonly notionalUnits: NotionalUnits;
  private readonly minQtySteps: number;
  private last: { inputs: QuoteInputs; restrictions: string; quotes: DesiredQuotes } | null = null;
  private lastBand: Band | null = null;
  /** The last book's touches in ticks (null when off the grid), and the last price made of ticks per side. */
  private lastBookTicks: { book: BookTop; bid: number | null; ask: number | null } | null = null;
  private readonly lastPrice: Partial<Record<Side, { ticks: number; price: Decimal }>> = {};
  private lastHalfSpread: { book: BookTop; reference: Decimal; value: number } | null = null;
  private readonly lastSize: Partial<Record<Side, { price: Decimal; qty: Decimal; check: OrderValidation }>> = {};

  constructor(
    private readonly instrument: Instrument,
    private readonly config: BotConfig,
  ) {
    this.minSpread = new Decimal(config.band.minSpread);
    this.maxSpread = new Decimal(config.band.maxSpread);
    this.notional = new Decimal(config.minNotional).times(1 + config.notionalMargin);
    this.notionalNumber = this.notional.toNumber();
    this.minQtyOnStep = instrument.minQty.toNearest(instrument.stepSize, Decimal.ROUND_CEIL);
    this.notionalUnits = instrument.grid.notionalUnits(this.notional, "up");
    this.minQtySteps = instrument.grid.steps(instrument.minQty, "up");
  }

  /**
   * The quotes for these inputs. Bots sharing this policy and a market view pass the very same reference, book and
   * sweep objects for one event, so the answer is computed once and handed to all of them (the same object).
   */
  desiredQuotes(inputs: QuoteInputs): DesiredQuotes {
    const last = this.last;
    const restrictions = restrictionsKey(inputs.restrictions);
    if (
      last &&
      last.inputs.reference === inputs.reference &&
      last.inputs.book === inputs.book &&
      last.inputs.volatility === inputs.volatility &&
      last.inputs.sweep === inputs.sweep &&
      sameActivity(last.inputs.activity, inputs.activity) &&
      last.inputs.guard === inputs.guard &&
      last.restrictions === restrictions
    ) {
      return last.quotes;
    }
    const ref = inputs.reference;
    const reference = ref.ok ? ref.price : null;
    const quotes: DesiredQuotes = { reference, bid: this.sideQuote("BUY", inputs), ask: this.sideQuote("SELL", inputs) };
    this.last = { inputs, restrictions, quotes };
    return quotes;
  }

  /** The band as offsets from R; both sides ask for the same R, so the last one is kept. */
  private bandAround(reference: Decimal): Band {
    if (this.lastBand?.reference !== reference) {
      const { band, hysteresis } = this.config;
      const fractions = { nearest: band.minSpread, farthest: band.maxSpread, innerFarthest: band.maxSpread - hysteresis.innerMargin };
      this.lastBand = new Band(reference, { min: this.minSpread, max: this.maxSpread }, fractions, this.instrument.grid);
    }
    return this.lastBand;
  }

  /**
   * The size of an order at `price` and its check against every filter but the one that reads the reference price.
   * Quote prices change far less often than the reference, so the last answer per side is kept.
   */
  private sized(side: Side, price: Decimal, placedTicks: number | null): { qty: Decimal; check: OrderValidation } {
    const last = this.lastSize[side];
    if (last?.price.eq(price)) return last;
    const { grid } = this.instrument;
    const ticks = placedTicks ?? grid.exactTicks(price);
    let sized: { price: Decimal; qty: Decimal; check: OrderValidation };
    if (ticks !== null) {
      const steps = Math.max(grid.stepsForNotional(ticks, this.notionalUnits), this.minQtySteps);
      sized = { price, qty: grid.quantity(steps), check: validateOrderOnGrid(this.instrument, ticks, steps) };
    } else {
      // Off the grid (a book price from another tick size): the decimal path, which names the failing filter.
      const qty = Decimal.max(quantityForNotional(this.instrument, price, this.notional), this.minQtyOnStep);
      sized = { price, qty, check: validateOrder(this.instrument, { side, price, qty }) };
    }
    this.lastSize[side] = sized;
    return sized;
  }

  private sideQuote(side: Side, inputs: QuoteInputs): SideQuote {
    const blocked = (state: NotQuotedState, reason: string): SideQuote => ({ side, quoted: false, state, reason });
    const { config, instrument } = this;
    if (instrument.status !== "TRADING") return blocked("SYMBOL_NOT_TRADING", `symbol is ${instrument.status}`);
    const ref = inputs.reference;
    if (!ref.ok) return blocked(ref.state === "CROSSED_BOOK" ? "CROSSED_BOOK" : "NO_REFERENCE", ref.reason);
    const block = inputs.restrictions?.blocked?.[side];
    if (block) return blocked(block.state, block.reason);
    const fa = config.fillAvoidance;
    const threatened = inputs.sweep.threatenedSide === side;
    if (threatened && fa.pullSideMove !== undefined && Math.abs(inputs.sweep.move) >= fa.pullSideMove) {
      return blocked("SWEEP_PULLED", `sweep moved the price ${(inputs.sweep.move * 100).toFixed(3)}% toward the ${side === "BUY" ? "bid" : "ask"}`);
    }

    const target = config.targetFactor * config.band.maxSpread;
    const middle = (config.band.minSpread + config.band.maxSpread) / 2;
    // A slow link or a fast market: the response takes long enough for R to move, so sit nearer the middle.
    const base = target > middle ? Math.max(middle, target - (inputs.guard ?? 0)) : Math.min(middle, target + (inputs.guard ?? 0));
    const innerEdge = config.band.maxSpread - config.hysteresis.innerMargin;
    // Lasting widening (volatility, risk) stops half a drift threshold inside the inner band's edge: placed at the
    // edge itself, the reference's next small move would carry the quote out of the inner band and into a requote,
    // again and again. A sweep is brief and imminent, so it may use the room up to the edge.
    // With a guard the planner replaces orders before the narrowed inner band's edge (requote.ts bandGuard): the
    // widening stops a quarter drift threshold inside that, or each widened quote would be replaced at once.
    const guardedEdge = innerEdge - bandGuard(config, inputs.guard ?? 0);
    const widenCap = Math.max(base, Math.min(innerEdge - config.hysteresis.driftThreshold / 2, guardedEdge - config.hysteresis.driftThreshold / 4));
    // A sweep is brief and imminent: its widening may go up to the guarded edge itself.
    const sweepCap = Math.max(base, guardedEdge);
    const deepest = (config.ordersPerSide - 1) * config.levelSpacing;
    const room = Math.max(0, widenCap - deepest - base);
    const thin = this.thinness(inputs, ref.price) * room;
    const lasting = Math.min(base + fa.volatilityWidenFactor * inputs.volatility + thin + (inputs.restrictions?.extraWiden ?? 0), widenCap - deepest);
    const spacing = config.levelSpacing;
    const top = Math.max(base, threatened ? Math.min(lasting + fa.sweepWiden, sweepCap - deepest) : lasting);

    const band = this.bandAround(ref.price);
    const levels: QuoteLevel[] = [];
    let atTouch = false;
    for (let i = 0; i < config.ordersPerSide; i++) {
      const placed = this.levelPrice(side, band, top + i * spacing, inputs.book);
      if (!placed.ok) return blocked("BAND_UNREACHABLE", placed.reason);
      atTouch ||= placed.atTouch;
      if (levels.some((l) => l.price === placed.price || l.price.eq(placed.price))) continue;
      const { qty, check } = this.sized(side, placed.price, placed.ticks);
      const priceCheck = check.ok ? checkPercentPriceBySide(instrument, side, placed.price, ref.price) : check;
      if (!priceCheck.ok) return blocked("FILTER_REJECTED", `${priceCheck.filter}: ${priceCheck.reason}`);
      levels.push(new Level(side, placed.price, qty, ref.price));
    }
    return { side, quoted: true, levels, targetDistance: top, widened: top > base, threatened, atTouch };
  }


  /** How thin the market looks, 0 (liquid) to 1, in eighths (see the class comment). */
  private thinness(inputs: QuoteInputs, reference: Decimal): number {
    const activity = inputs.activity;
    if (!activity) return 0;
    const rate = (LIQUID_PRINTS_PER_MINUTE - activity.printsPerMinute) / (LIQUID_PRINTS_PER_MINUTE - THIN_PRINTS_PER_MINUTE);
    const halfSpread = this.halfSpread(inputs.book, reference);
    const spread = this.config.band.minSpread > 0 ? halfSpread / this.config.band.minSpread : 0;
    const print = (activity.meanPrintNotional / this.notionalNumber - 0.25) / 0.75;
    const thinness = Math.max(clip01(rate), clip01(spread), clip01(print));
    return Math.round(thinness * 8) / 8;
  }

  /** The book's half-spread as a fraction of R; both sides ask for the same book and R, so the last one is kept. */
  private halfSpread(book: BookTop | null, reference: Decimal): number {
    if (!book) return 0;
    const last = this.lastHalfSpread;
    if (last?.book === book && last.reference === reference) return last.value;
    const value = book.askPrice.minus(book.bidPrice).div(2).div(reference).toNumber();
    this.lastHalfSpread = { book, reference, value };
    return value;
  }

  /** The level's price on the tick grid when the band and the book are on it, else in decimals (same answer). */
  private levelPrice(side: Side, band: Band, distance: number, book: BookTop | null): Placed {
    const touches = book ? this.bookTicks(book) : null;
    if (!band.ticks || (touches && (touches.bid === null || touches.ask === null))) return this.levelPriceInDecimals(side, band, distance, book);
    const { grid } = this.instrument;
    const bandTicks = band.ticks;
    const buy = side === "BUY";
    let ticks = grid.ticks(band.reference.times(buy ? 1 - distance : 1 + distance), buy ? "down" : "up");
    // Moving "toward R" means up for a bid and down for an ask.
    if (ticks < bandTicks.farLow || ticks > bandTicks.farHigh) ticks = buy ? ticks + 1 : ticks - 1;
    let atTouch = false;
    if (touches) {
      const sameTouch = (buy ? touches.bid : touches.ask) as number;
      const otherTouch = (buy ? touches.ask : touches.bid) as number;
      if (buy ? ticks >= otherTouch : ticks <= otherTouch) ticks = buy ? otherTouch - 1 : otherTouch + 1;
      if (buy ? ticks > sameTouch : ticks < sameTouch) {
        const behind = buy ? sameTouch - 1 : sameTouch + 1;
        if (bandTicks.withinInner(behind)) ticks = behind;
        else if (bandTicks.withinInner(sameTouch)) ticks = sameTouch;
        else atTouch = true;
      }
    }
    if (!(ticks > 0) || !bandTicks.within(ticks)) {
      return {
        ok: false,
        reason: `no ${buy ? "bid" : "ask"} price on the tick grid lies inside the band and off the touch (nearest ${grid.priceText(ticks)}, reference ${band.reference.toFixed()})`,
      };
    }
    return { ok: true, price: this.priceOf(side, ticks), ticks, atTouch };
  }

  /** Quote prices repeat far more often than R does: the last Decimal per side is reused for the same ticks. */
  private priceOf(side: Side, ticks: number): Decimal {
    const last = this.lastPrice[side];
    if (last?.ticks === ticks) return last.price;
    const price = this.instrument.grid.price(ticks);
    this.lastPrice[side] = { ticks, price };
    return price;
  }

  private bookTicks(book: BookTop): { bid: number | null; ask: number | null } {
    if (this.lastBookTicks?.book !== book) {
      const { grid } = this.instrument;
      this.lastBookTicks = { book, bid: grid.exactTicks(book.bidPrice), ask: grid.exactTicks(book.askPrice) };
    }
    return this.lastBookTicks;
  }

  private levelPriceInDecimals(side: Side, band: Band, distance: number, book: BookTop | null): Placed {
    const { instrument } = this;
    const { reference } = band;
    const tick = instrument.tickSize;
    const buy = side === "BUY";
    let price = roundPrice(instrument, side, reference.times(buy ? 1 - distance : 1 + distance));
    // Moving "toward R" means up for a bid and down for an ask.
    const offsets = band.offsets();
    if (price.minus(reference).abs().gt(offsets.farthest)) price = buy ? price.plus(tick) : price.minus(tick);
    let atTouch = false;
    if (book) {
      const sameTouch = buy ? book.bidPrice : book.askPrice;
      const otherTouch = buy ? book.askPrice : book.bidPrice;
      if (buy ? price.gte(otherTouch) : price.lte(otherTouch)) price = buy ? otherTouch.minus(tick) : otherTouch.plus(tick);
      if (buy ? price.gt(sameTouch) : price.lt(sameTouch)) {
        const behind = buy ? sameTouch.minus(tick) : sameTouch.plus(tick);
        if (within(behind, band, offsets.innerFarthest)) price = behind;
        else if (within(sameTouch, band, offsets.innerFarthest)) price = sameTouch;
        else atTouch = true;
      }
    }
    if (!price.gt(0) || !within(price, band, offsets.farthest)) {
      return {
        ok: false,
        reason: `no ${buy ? "bid" : "ask"} price on the tick grid lies inside the band and off the touch (nearest ${price.toFixed()}, reference ${reference.toFixed()})`,
      };
    }
    return { ok: true, price, ticks: null, atTouch };
  }
}

/** A pair printing this often (once every 2 s) or more is liquid for the thin-market term... */
const LIQUID_PRINTS_PER_MINUTE = 30;
/** ... and one printing this rarely (once every 10 s) or less is thin: a few prints more or less keep it thin. */
const THIN_PRINTS_PER_MINUTE = 6;

function clip01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Activity compared by the thinness it can produce, so a nearly unchanged tape reuses the last quotes. */
function sameActivity(a: TradeActivity | undefined, b: TradeActivity | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.printsPerMinute === b.printsPerMinute && a.meanPrintNotional === b.meanPrintNotional;
}

/** |price - R| within [nearest, farthest]: distances compared as offsets from R, no division on the hot path. */
function within(price: Decimal, band: Band, farthest: Decimal): boolean {
  const offset = price.minus(band.reference).abs();
  return offset.gte(band.offsets().nearest) && offset.lte(farthest);
}

/** Restrictions as a comparable value; none at all (the usual case) is the empty string. */
function restrictionsKey(restrictions: QuoteRestrictions | undefined): string {
  if (!restrictions) return "";
  const blocked = restrictions.blocked;
  const widen = restrictions.extraWiden ?? 0;
  const hasBlock = blocked !== undefined && (blocked.BUY !== undefined || blocked.SELL !== undefined);
  if (!hasBlock && widen === 0) return "";
  return JSON.stringify([blocked?.BUY ?? null, blocked?.SELL ?? null, widen]);
}

/** A quote level; its distance from R is worked out only when someone reads it (a division, off the hot path). */
class Level implements QuoteLevel {
  constructor(
    readonly side: Side,
    readonly price: Decimal,
    readonly qty: Decimal,
    private readonly reference: Decimal,
  ) {}

  get distance(): Decimal {
    return this.price.minus(this.reference).abs().div(this.reference);
  }
}
