import { Decimal } from "./decimal";

/**
 * An instrument's fixed-point grid: a price as a whole number of ticks, a quantity as a whole number of steps,
 * both safe integers, so the hot path compares and adds plain numbers where decimal.js would allocate. A notional
 * is ticks x steps in units of tickSize x stepSize; that product may pass 2^53, so it goes to BigInt only then.
 * Decimals stay at the edges: `ticks`/`steps` read a Decimal (parsed from the exchange's string) and `price`/
 * `quantity` give one back. Every conversion is exact or rounds in the direction asked for, and each answer equals
 * decimal.js's (test/fixed-point-properties.test.ts proves it against the decimal implementation).
 */
export type GridRounding = "down" | "up";
/** "exact": the value must lie on the grid (NaN when it does not). */
type Mode = GridRounding | "exact";

/** A bound on ticks x steps: a safe integer, or a bigint where the bound itself is past 2^53. */
export type NotionalUnits = number | bigint;

const SAFE = Number.MAX_SAFE_INTEGER;
const POWERS = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A non-negative decimal as an integer count of 10^-decimals, for the exact arithmetic done once per instrument. */
interface Scaled {
  readonly units: bigint;
  readonly decimals: number;
}

function scaledOf(value: Decimal): Scaled {
  const text = value.abs().toFixed();
  const point = text.indexOf(".");
  const decimals = point < 0 ? 0 : text.length - point - 1;
  return { units: BigInt(text.replace(".", "")), decimals };
}

function divide(numerator: bigint, denominator: bigint, rounding: GridRounding): bigint {
  const quotient = numerator / denominator;
  if (quotient * denominator === numerator) return quotient;
  const negative = numerator < 0n !== denominator < 0n;
  // BigInt division truncates toward zero: floor and ceil differ from it on one side of zero each.
  if (rounding === "down") return negative ? quotient - 1n : quotient;
  return negative ? quotient : quotient + 1n;
}

function toUnits(value: bigint): NotionalUnits {
  return value <= BigInt(SAFE) && value >= -BigInt(SAFE) ? Number(value) : value;
}

/** Floor or ceil of a / m for safe non-negative integers: `%` on doubles is exact, so is the division after it. */
function divideSafe(a: number, m: number, mode: Mode): number {
  const remainder = a % m;
  const quotient = (a - remainder) / m;
  if (remainder === 0) return quotient;
  return mode === "up" ? quotient + 1 : mode === "down" ? quotient : NaN;
}

/** The filters a grid order is checked against, in grid units (tickSize and stepSize as the grid's own). */
export interface GridFilterInput {
  readonly tickSize: Decimal;
  readonly stepSize: Decimal;
  /** Zero: not checked, as on the exchange. */
  readonly minPrice: Decimal;
  readonly maxPrice: Decimal;
  readonly minQty: Decimal;
  readonly maxQty: Decimal;
  readonly minNotional: Decimal;
  readonly maxNotional: Decimal | null;
}

/** Which filter an order on the grid fails, with validateOrder's reason; null when it passes them all. */
export type GridFailure = { readonly filter: "PRICE_FILTER" | "LOT_SIZE" | "NOTIONAL"; readonly reason: string } | null;

export class InstrumentGrid {
  /** tickSize = tickUnits x 10^-priceDecimals; stepSize = stepUnits x 10^-qtyDecimals. */
  private readonly tickUnits: number;
  /** Decimal places of the tick size: the last digit a price on the grid can have. */
  readonly priceDecimals: number;
  private readonly stepUnits: number;
  private readonly qtyDecimals: number;
  /** The filters in grid units: a price passes with minPriceTicks <= ticks <= maxPriceTicks, and so on. */
  private readonly minPriceTicks: number;
  private readonly maxPriceTicks: number;
  private readonly minQtySteps: number;
  private readonly maxQtySteps: number;
  private readonly minNotionalUnits: NotionalUnits;
  private readonly maxNotionalUnits: NotionalUnits | null;
  readonly tickSize: Decimal;
  readonly stepSize: Decimal;

  constructor(filters: GridFilterInput) {
    const { tickSize, stepSize } = filters;
    if (!tickSize.gt(0) || !stepSize.gt(0)) throw new RangeError("tickSize and stepSize must be greater than 0");
    this.tickSize = tickSize;
    this.stepSize = stepSize;
    const tick = scaledOf(tickSize);
    const step = scaledOf(stepSize);
    if (tick.units > BigInt(SAFE) || step.units > BigInt(SAFE)) throw new RangeError("tickSize or stepSize has too many digits");
    // Plain numbers only, so an instrument stays a JSON value.
    this.tickUnits = Number(tick.units);
    this.priceDecimals = tick.decimals;
    this.stepUnits = Number(step.units);
    this.qtyDecimals = step.decimals;
    // For whole counts n: n x size < bound exactly when n < ceil(bound / size), and n x size > bound when n > floor(...).
    this.minPriceTicks = filters.minPrice.gt(0) ? bound(filters.minPrice, tick, "up") : -Infinity;
    this.maxPriceTicks = filters.maxPrice.gt(0) ? bound(filters.maxPrice, tick, "down") : Infinity;
    this.minQtySteps = bound(filters.minQty, step, "up");
    this.maxQtySteps = filters.maxQty.gt(0) ? bound(filters.maxQty, step, "down") : Infinity;
    this.minNotionalUnits = this.notionalUnits(filters.minNotional, "up");
    this.maxNotionalUnits = filters.maxNotional ? this.notionalUnits(filters.maxNotional, "down") : null;
  }

  /** A grid is derived from its instrument's filters: in JSON (logs, reports) its two sizes say all of it. */
  toJSON(): { tickSize: string; stepSize: string } {
    return { tickSize: this.tickSize.toFixed(), stepSize: this.stepSize.toFixed() };
  }

  /**
   * PRICE_FILTER, LOT_SIZE and NOTIONAL for a price and quantity on the grid, in validateOrder's order and words
   * (on the grid, the tick and step multiples hold by construction).
   */
  check(ticks: number, steps: number): GridFailure {
    if (!(ticks > 0)) return { filter: "PRICE_FILTER", reason: "price must be positive" };
    if (ticks < this.minPriceTicks) return { filter: "PRICE_FILTER", reason: "price below minPrice" };
    if (ticks > this.maxPriceTicks) return { filter: "PRICE_FILTER", reason: "price above maxPrice" };
    if (!(steps > 0)) return { filter: "LOT_SIZE", reason: "quantity must be positive" };
    if (steps < this.minQtySteps) return { filter: "LOT_SIZE", reason: "quantity below minQty" };
    if (steps > this.maxQtySteps) return { filter: "LOT_SIZE", reason: "quantity above maxQty" };
    if (this.compareNotional(ticks, steps, this.minNotionalUnits) < 0) return { filter: "NOTIONAL", reason: "notional below minNotional" };
    if (this.maxNotionalUnits !== null && this.compareNotional(ticks, steps, this.maxNotionalUnits) > 0) {
      return { filter: "NOTIONAL", reason: "notional above maxNotional" };
    }
    return null;
  }

  /** The price in whole ticks, rounded down (bids) or up (asks) as roundPrice rounds. */
  ticks(price: Decimal, rounding: GridRounding): number {
    return gridUnits(price, this.priceDecimals, this.tickUnits, rounding);
  }

  /** The quantity in whole steps, rounded down (roundQuantity) or up. */
  steps(qty: Decimal, rounding: GridRounding): number {
    return gridUnits(qty, this.qtyDecimals, this.stepUnits, rounding);
  }

  /** The price in ticks when it lies on the grid, else null. */
  exactTicks(price: Decimal): number | null {
    const ticks = gridUnits(price, this.priceDecimals, this.tickUnits, "exact");
    return Number.isNaN(ticks) ? null : ticks;
  }

  /** The quantity in steps when it lies on the grid, else null. */
  exactSteps(qty: Decimal): number | null {
    const steps = gridUnits(qty, this.qtyDecimals, this.stepUnits, "exact");
    return Number.isNaN(steps) ? null : steps;
  }

  price(ticks: number): Decimal {
    return new Decimal(unitsText(checkedProduct(ticks, this.tickUnits, "price"), this.priceDecimals));
  }

  quantity(steps: number): Decimal {
    return new Decimal(unitsText(checkedProduct(steps, this.stepUnits, "quantity"), this.qtyDecimals));
  }

  /** Canonical text (decimalToString's: no exponent, no trailing zeros) for requests, storage and the UI. */
  priceText(ticks: number): string {
    return unitsText(checkedProduct(ticks, this.tickUnits, "price"), this.priceDecimals);
  }

  quantityText(steps: number): string {
    return unitsText(checkedProduct(steps, this.stepUnits, "quantity"), this.qtyDecimals);
  }

  /**
   * A notional as a bound on ticks x steps, computed once per amount: "up" gives the least product whose notional
   * is at least the amount (a minimum), "down" the greatest whose notional is at most it (a maximum).
   */
  notionalUnits(amount: Decimal, rounding: GridRounding): NotionalUnits {
    const a = scaledOf(amount);
    const sign = amount.isNegative() ? -1n : 1n;
    // amount / (tick x step) = a.units x 10^(pd + qd) / (tick.units x step.units x 10^a.decimals)
    const numerator = sign * a.units * 10n ** BigInt(this.priceDecimals + this.qtyDecimals);
    const denominator = BigInt(this.tickUnits) * BigInt(this.stepUnits) * 10n ** BigInt(a.decimals);
    return toUnits(divide(numerator, denominator, rounding));
  }

  /** Compares ticks x steps with a notional bound, exactly: -1, 0 or 1. */
  compareNotional(ticks: number, steps: number, bound: NotionalUnits): -1 | 0 | 1 {
    const product = ticks * steps;
    if (typeof bound === "number" && product <= SAFE && product >= -SAFE) return product < bound ? -1 : product > bound ? 1 : 0;
    const exact = BigInt(ticks) * BigInt(steps);
    const limit = BigInt(bound);
    return exact < limit ? -1 : exact > limit ? 1 : 0;
  }

  /** The fewest steps whose notional at `ticks` (> 0) reaches the bound from notionalUnits(amount, "up"). */
  stepsForNotional(ticks: number, bound: NotionalUnits): number {
    if (!(ticks > 0)) throw new RangeError(`price must be positive, got ${ticks} ticks`);
    if (typeof bound === "number") return bound <= 0 ? 0 : divideSafe(bound, ticks, "up");
    return Number(divide(bound, BigInt(ticks), "up"));
  }
}

/** floor/ceil(value / size) for a filter bound; beyond the safe range it is infinite, as no grid count reaches it. */
function bound(value: Decimal, size: Scaled, rounding: GridRounding): number {
  const v = scaledOf(value);
  const numerator = v.units * 10n ** BigInt(Math.max(0, size.decimals - v.decimals));
  const denominator = size.units * 10n ** BigInt(Math.max(0, v.decimals - size.decimals));
  const units = divide(numerator, denominator, rounding);
  return units > BigInt(SAFE) ? Infinity : Number(units);
}

/**
 * floor/ceil(value / (unit x 10^-decimals)), read from decimal.js's documented digits (`d`, base 1e7 words, the
 * first without leading zeros) and exponent (`e`) in plain numbers: the whole part of value x 10^decimals and
 * whether anything is left below it. A value whose whole part passes 2^53 takes the exact BigInt path.
 */
function gridUnits(value: Decimal, decimals: number, unit: number, mode: Mode): number {
  const words = value.d;
  if (!words) throw new RangeError(`not a finite decimal: ${value.toString()}`);
  const first = words[0] as number;
  if (first === 0) return 0;
  let firstDigits = 1;
  while (firstDigits < 7 && first >= (POWERS[firstDigits] as number)) firstDigits++;
  const count = words.length;
  // Once scaled by 10^decimals, the last digit of word i stands for 10^(lowest + 7 x (count - 1 - i)).
  const lowest = value.e - firstDigits - 7 * (count - 1) + 1 + decimals;
  const negative = value.s < 0;
  let whole = 0;
  let below = false;
  let fits = true;
  for (let i = 0; i < count && fits; i++) {
    const word = words[i] as number;
    const power = lowest + 7 * (count - 1 - i);
    if (power >= 0) {
      const part = power < POWERS.length ? word * (POWERS[power] as number) : Infinity;
      fits = part <= SAFE - whole;
      whole += part;
    } else if (power > -7) {
      const divisor = POWERS[-power] as number;
      const rest = word % divisor;
      whole += (word - rest) / divisor;
      fits = whole <= SAFE;
      below ||= rest !== 0;
    } else {
      below ||= word !== 0;
    }
  }
  if (fits) {
    const rest = whole % unit;
    const quotient = (whole - rest) / unit;
    const exact = rest === 0 && !below;
    if (exact) return signed(quotient, negative);
    if (mode === "exact") return NaN;
    // Rounding a negative value down is rounding its magnitude up.
    return signed(negative === (mode === "down") ? quotient + 1 : quotient, negative);
  }
  const exact = scaledOf(value);
  const sign = negative ? -1n : 1n;
  const numerator = sign * exact.units * 10n ** BigInt(Math.max(0, decimals - exact.decimals));
  const denominator = BigInt(unit) * 10n ** BigInt(Math.max(0, exact.decimals - decimals));
  if (mode === "exact" && numerator % denominator !== 0n) return NaN;
  const result = divide(numerator, denominator, mode === "exact" ? "down" : mode);
  if (result > BigInt(SAFE) || result < -BigInt(SAFE)) throw new RangeError(`${value.toFixed()} is beyond the grid's safe range`);
  return Number(result);
}

function signed(magnitude: number, negative: boolean): number {
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

/** count x unit, exact: a number while safe, a bigint past that (a count of many ticks of a multi-digit tick). */
function checkedProduct(count: number, unit: number, what: string): number | bigint {
  if (!Number.isSafeInteger(count)) throw new RangeError(`${what} of ${count} grid units is beyond the safe range`);
  const units = count * unit;
  return Number.isSafeInteger(units) ? units : BigInt(count) * BigInt(unit);
}

/** An integer count of 10^-decimals as plain decimal text without trailing zeros: (650001, 2) is "6500.01". */
function unitsText(units: number | bigint, decimals: number): string {
  const negative = units < 0;
  const digits = String(negative ? -units : units);
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, "0");
  const whole = padded.slice(0, padded.length - decimals);
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, "");
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative ? `-${text}` : text;
}
