import { z } from "zod";
import { Decimal, DECIMAL_STRING } from "../money/decimal";
import type { KpiFact } from "./kpi-tracker";

/**
 * KPI facts as JSON lines (decimals as strings), so a bot's event log can be fed back into a KpiTracker by anyone
 * to recompute its KPIs independently.
 */
const decimal = z
  .string()
  .regex(DECIMAL_STRING)
  .transform((v) => new Decimal(v));
const time = z.number().finite();
const side = z.enum(["BUY", "SELL"]);
const id = z.string().min(1);

const factSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("RUNNING"), time, running: z.boolean() }),
  z.object({
    type: z.literal("REFERENCE"),
    time,
    price: decimal.nullable(),
    targets: z.object({ BUY: z.array(decimal), SELL: z.array(decimal) }).optional(),
  }),
  z.object({ type: z.literal("MARKET_EVENT"), time }),
  z.object({ type: z.literal("ORDER_ACKED"), time, clientOrderId: id, side, price: decimal, qty: decimal }),
  z.object({ type: z.literal("ORDER_FILLED"), time, clientOrderId: id, price: decimal, qty: decimal }),
  z.object({ type: z.literal("ORDER_CANCELED"), time, clientOrderId: id }),
  z.object({ type: z.literal("ORDER_EXPIRED"), time, clientOrderId: id }),
  z.object({
    type: z.literal("SETTINGS"),
    time,
    settings: z.object({
      band: z.object({ minSpread: z.number(), maxSpread: z.number() }),
      minNotional: z.string().regex(DECIMAL_STRING),
      driftThreshold: z.number(),
    }),
  }),
]);

export function serializeKpiFact(fact: KpiFact): string {
  return JSON.stringify(fact, (_key, value: unknown) => (value instanceof Decimal ? value.toFixed() : value));
}

export class KpiFactParseError extends Error {
  override readonly name = "KpiFactParseError";
}

export function parseKpiFact(line: string): KpiFact {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new KpiFactParseError(`not JSON: ${line.slice(0, 80)}`);
  }
  const parsed = factSchema.safeParse(json);
  if (!parsed.success) {
    throw new KpiFactParseError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data;
}
