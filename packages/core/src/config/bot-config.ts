import { z } from "zod";
import { decimalString } from "../money/decimal-string";

/** Fractions of the reference price (0.002 = 0.2%). */
const fraction = z.number().finite().nonnegative();
const positiveFraction = z.number().finite().positive();
const durationMs = z.number().int().positive();
/** Quote-asset amounts; a billion is far beyond any quote an exchange programme asks for. */
export const MAX_MIN_NOTIONAL = "1000000000";

/**
 * A field older config versions may carry that no longer means anything: accepted (a stored version must still
 * parse) and dropped from the parsed config, so nothing can read it by mistake. See docs/config.md.
 */
const retired = durationMs.optional().transform(() => undefined);

export const REFERENCE_METHODS = ["MID", "MICROPRICE", "TWAP", "VWAP", "HYBRID"] as const;
export type ReferenceMethod = (typeof REFERENCE_METHODS)[number];

const bandSchema = z
  .strictObject({
    minSpread: fraction.default(0.002),
    maxSpread: positiveFraction.max(0.5).default(0.004),
  })
  .check((ctx) => {
    if (ctx.value.minSpread >= ctx.value.maxSpread) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        path: ["minSpread"],
        message: `band minSpread (${ctx.value.minSpread}) must be below maxSpread (${ctx.value.maxSpread})`,
      });
    }
  });

const hysteresisSchema = z.strictObject({
  /** An order is kept while its distance is within [minSpread + innerMargin, maxSpread - innerMargin]. */
  innerMargin: fraction.default(0.0002),
  /** ... and while it is at most this far (fraction of the reference) from its target price. */
  driftThreshold: positiveFraction.default(0.0006),
});

const referenceSchema = z.strictObject({
  method: z
    .enum(REFERENCE_METHODS, { error: () => `unknown reference method; expected one of ${REFERENCE_METHODS.join(", ")}` })
    .default("HYBRID"),
  trades: z.number().int().min(1).max(100_000).default(100),
  /** Trades older than this are dropped too, when set; the TWAP is then measured over the window. */
  windowMs: durationMs.optional(),
  twapWeight: z.number().min(0).max(1).default(0.6),
  /** Trade-based methods: the trades' weight against the book's mid halves every this many ms of their age. */
  tradeHalfLifeMs: durationMs.default(30_000),
  /** Trades older than this carry no weight: the reference is the book's mid. */
  tradeStaleAfterMs: durationMs.default(300_000),
  /** Retired: market-data health is judged from the connection (FeedStatus), not from the book's age. */
  staleAfterMs: retired,
  /** A trade farther than this fraction from the book mid is ignored as an outlier. */
  outlierThreshold: positiveFraction.default(0.01),
  /** What to do with resting quotes while the reference is stale or missing. */
  onStale: z.enum(["PULL", "HOLD"]).default("PULL"),
});

const fillAvoidanceSchema = z.strictObject({
  volatilityWindowMs: durationMs.default(5_000),
  /** Extra distance = factor x realised volatility over the window (both fractions). */
  volatilityWidenFactor: fraction.default(1),
  sweepWindowMs: durationMs.default(1_000),
  /** Price move over the sweep window, in the aggressors' direction, that signals a sweep. */
  sweepMinMove: positiveFraction.default(0.001),
  /** Share of the window's traded quantity taken by one aggressor side that signals a sweep. */
  sweepMinAggressorShare: z.number().min(0.5).max(1).default(0.8),
  /** Extra distance on the threatened side during a sweep. */
  sweepWiden: fraction.default(0.0006),
  /** Last resort: a sweep moving the price this far pulls the threatened side; absent = never pull. */
  pullSideMove: positiveFraction.optional(),
});

const riskSchema = z.strictObject({
  /** Net base-asset change since start beyond which the side that adds to it pauses (decimal string). */
  maxBasePosition: decimalString().optional(),
  /** Net quote-asset change since start, same rule. */
  maxQuotePosition: decimalString().optional(),
  /** Reference move over the window: widen at half, pause at the full fraction. */
  maxPriceMove: z.strictObject({ windowMs: durationMs.default(60_000), fraction: positiveFraction.default(0.02) }).default({
    windowMs: 60_000,
    fraction: 0.02,
  }),
  /**
   * The bot's own cap on discretionary requotes (an order that drifted but is still valid). Orders that restore a
   * missing side or replace one leaving the band are never held by it; the exchange's real limits, shared by the
   * account's bots, are the order budget's.
   */
  maxOrdersPerInterval: z.strictObject({ intervalMs: durationMs.default(10_000), count: z.number().int().positive().default(20) }).default({
    intervalMs: 10_000,
    count: 20,
  }),
  maxOpenOrders: z.number().int().positive().default(10),
  /** Retired: a quiet market on a live connection is not stale; the host reports a dead feed (FeedStatus). */
  maxMarketDataAgeMs: retired,
  apiErrorsToPause: z.number().int().positive().default(5),
  apiErrorsToEmergencyStop: z.number().int().positive().default(20),
  /** Warnings fire at this fraction of a limit. */
  warnAt: z.number().gt(0).max(1).default(0.8),
});

const botConfigObject = z.strictObject({
  band: bandSchema.default({ minSpread: 0.002, maxSpread: 0.004 }),
  /** Target distance = targetFactor x maxSpread. */
  targetFactor: positiveFraction.max(1).default(0.8),
  hysteresis: hysteresisSchema.default({ innerMargin: 0.0002, driftThreshold: 0.0006 }),
  minNotional: decimalString({ max: MAX_MIN_NOTIONAL }).default("10000"),
  /** Orders are sized at minNotional x (1 + notionalMargin), so rounding and small moves keep them valid. */
  notionalMargin: fraction.max(1).default(0.05),
  ordersPerSide: z.number().int().min(1).max(20).default(1),
  /** Extra distance between consecutive levels on one side (fraction); used when ordersPerSide > 1. */
  levelSpacing: fraction.default(0.0001),
  reference: referenceSchema.default(() => referenceSchema.parse({})),
  requoteMode: z.enum(["event", "periodic"]).default("event"),
  /** periodic mode: cancel everything and place afresh every refreshMs. */
  refreshMs: durationMs.default(1_000),
  fillAvoidance: fillAvoidanceSchema.default(() => fillAvoidanceSchema.parse({})),
  risk: riskSchema.default(() => riskSchema.parse({})),
});

function addIssue(ctx: z.core.ParsePayload<unknown>, path: PropertyKey[], message: string): void {
  ctx.issues.push({ code: "custom", input: ctx.value, path, message });
}

export const botConfigSchema = botConfigObject.check((ctx) => {
  const c = ctx.value;
  const { minSpread, maxSpread } = c.band;
  const target = c.targetFactor * maxSpread;
  if (target < minSpread || target > maxSpread) {
    addIssue(ctx, ["targetFactor"], `target distance ${target} (targetFactor x maxSpread) lies outside the band [${minSpread}, ${maxSpread}]`);
  }
  const { innerMargin } = c.hysteresis;
  if (minSpread + innerMargin > target || maxSpread - innerMargin < target) {
    addIssue(ctx, ["hysteresis", "innerMargin"], `inner band [${minSpread + innerMargin}, ${maxSpread - innerMargin}] must contain the target distance ${target}`);
  }
  const deepest = target + (c.ordersPerSide - 1) * c.levelSpacing;
  if (deepest > maxSpread - innerMargin) {
    addIssue(ctx, ["levelSpacing"], `deepest level at ${deepest} lies beyond the inner band's edge ${maxSpread - innerMargin}`);
  }
  if (c.risk.apiErrorsToEmergencyStop < c.risk.apiErrorsToPause) {
    addIssue(ctx, ["risk", "apiErrorsToEmergencyStop"], "must be at least apiErrorsToPause");
  }
});

export type BotConfig = z.infer<typeof botConfigSchema>;
/** What a YAML/JSON file or the dashboard may send: every field optional, defaults filled in. */
export type BotConfigInput = z.input<typeof botConfigSchema>;

export interface ConfigIssue {
  /** Dotted field path, e.g. "band.minSpread" or "reference.method". */
  readonly path: string;
  readonly message: string;
}

export type BotConfigResult = { readonly ok: true; readonly config: BotConfig } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export function parseBotConfig(input: unknown): BotConfigResult {
  const parsed = botConfigSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  };
}

export const defaultBotConfig: BotConfig = Object.freeze(botConfigSchema.parse({}));

export interface ConfigChange {
  readonly path: string;
  readonly old: unknown;
  readonly new: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf-level differences between two configs (or any JSON-like objects), sorted by path. */
export function diffConfigs(a: unknown, b: unknown): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const walk = (x: unknown, y: unknown, path: string[]): void => {
    if (isRecord(x) && isRecord(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const key of keys) walk(x[key], y[key], [...path, key]);
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path: path.join("."), old: x, new: y });
  };
  walk(a, b, []);
  return changes.sort((p, q) => p.path.localeCompare(q.path));
}
