// An auditor's own reading of a bot's event log: spreadCompliance, twoSided and the breach episodes (docs/kpis.md)
// recomputed from the JSON lines alone (band, minNotional and driftThreshold from the first line and any config line,
// R(t) from the reference lines, the drift targets from the targets lines, orders open from their ack to their
// cancel ack, expiry or full fill, running time from the state lines, up to the end line).
// Deliberately independent of core's KPI tracker: decimal.js and the log, nothing else.
import Decimal from "decimal.js";

interface OpenOrder {
  side: "BUY" | "SELL";
  price: Decimal;
  remaining: Decimal;
}

type Line = Record<string, unknown> & { kind: string; time?: number };

export interface AuditResult {
  runningMs: number;
  spreadCompliantMs: number;
  twoSidedMs: number;
  spreadCompliance: number;
  twoSided: number;
  ordersAcked: number;
  /** Breach episodes as [start, end] in whole ms, in the order they ended (the one open at the end line included). */
  episodes: [number, number][];
}

const RUNNING_STATES = new Set(["QUOTING", "DEGRADED", "HALTED"]);

export function auditEventLog(text: string): AuditResult {
  // Market lines carry no KPI fact; skipping them unparsed keeps the audit of a long log quick.
  const lines = text
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith('{"kind":"market"'))
    .map((line) => JSON.parse(line) as Line);
  const header = lines[0];
  if (header?.kind !== "run") throw new Error("the first line must describe the run");
  type Settings = { band: { minSpread: number; maxSpread: number }; minNotional: string; hysteresis: { driftThreshold: number } };
  let minSpread = new Decimal(0);
  let maxSpread = new Decimal(0);
  let minNotional = new Decimal(0);
  let drift = new Decimal(0);
  // The first line's config, then each "config" line from its time on.
  const applySettings = (config: Settings) => {
    minSpread = new Decimal(config.band.minSpread);
    maxSpread = new Decimal(config.band.maxSpread);
    minNotional = new Decimal(config.minNotional);
    drift = new Decimal(config.hysteresis.driftThreshold);
  };
  applySettings(header.config as Settings);

  const requested = new Map<string, { side: "BUY" | "SELL"; price: Decimal; qty: Decimal }>();
  const open = new Map<string, OpenOrder>();
  const seenTrades = new Set<string>();
  let reference: Decimal | null = null;
  let targets: { BUY: Decimal[]; SELL: Decimal[] } | null = null;
  let running = false;
  let last: number | null = null;
  let flags = { compliant: false, twoSided: false, breach: false };
  let breachSince: number | null = null;
  const episodes: [number, number][] = [];
  const totals = { runningMs: 0, spreadCompliantMs: 0, twoSidedMs: 0, ordersAcked: 0 };

  const evaluate = () => {
    let anyOpen = false;
    let allInBand = true;
    const valid = { BUY: false, SELL: false };
    let needsAction = false;
    for (const order of open.values()) {
      anyOpen = true;
      // Signed distance on the order's own side: a bid below R, an ask above it.
      const distance = reference ? (order.side === "BUY" ? reference.minus(order.price) : order.price.minus(reference)).div(reference) : null;
      if (!distance || distance.lt(minSpread) || distance.gt(maxSpread)) {
        allInBand = false;
        needsAction = true;
        continue;
      }
      if (order.remaining.times(order.price).gte(minNotional)) valid[order.side] = true;
      // Drift: farther than driftThreshold x R from every target price of its side.
      const sideTargets = targets?.[order.side] ?? [];
      if (reference && sideTargets.length > 0 && sideTargets.every((t) => order.price.minus(t).abs().gt(reference!.times(drift)))) needsAction = true;
    }
    const twoSided = running && valid.BUY && valid.SELL;
    return { compliant: running && anyOpen && allInBand, twoSided, breach: running && (needsAction || !twoSided) };
  };

  for (const line of lines.slice(1)) {
    if (typeof line.time !== "number") throw new Error(`line without a time: ${JSON.stringify(line)}`);
    // Whole milliseconds, never backwards: the same clock discipline the KPI buckets use.
    const time = Math.max(Math.floor(line.time), last ?? -Infinity);
    if (last !== null && running) {
      totals.runningMs += time - last;
      if (flags.compliant) totals.spreadCompliantMs += time - last;
      if (flags.twoSided) totals.twoSidedMs += time - last;
    }
    last = time;
    const id = line.clientOrderId as string;
    switch (line.kind) {
      case "state":
        running = RUNNING_STATES.has(line.to as string);
        break;
      case "reference":
        reference = line.price === null ? null : new Decimal(line.price as string);
        break;
      case "place":
        requested.set(id, { side: line.side as "BUY" | "SELL", price: new Decimal(line.price as string), qty: new Decimal(line.qty as string) });
        break;
      case "ack": {
        const order = requested.get(id);
        if (order && !open.has(id)) {
          open.set(id, { side: order.side, price: order.price, remaining: order.qty });
          totals.ordersAcked++;
        }
        break;
      }
      case "fill": {
        const key = `${id}/${line.tradeId as string}`;
        const order = open.get(id);
        if (seenTrades.has(key) || !order) break;
        seenTrades.add(key);
        order.remaining = order.remaining.minus(new Decimal(line.qty as string));
        if (!order.remaining.gt(0)) open.delete(id);
        break;
      }
      case "canceled":
      case "expired":
        open.delete(id);
        break;
      case "targets":
        targets = {
          BUY: (line.BUY as string[]).map((p) => new Decimal(p)),
          SELL: (line.SELL as string[]).map((p) => new Decimal(p)),
        };
        break;
      case "config":
        applySettings(line.config as Settings);
        break;
    }
    flags = evaluate();
    // An episode from the first moment of breach to the first moment without; one with no time in it is none.
    if (flags.breach) breachSince ??= time;
    else if (breachSince !== null) {
      if (time > breachSince) episodes.push([breachSince, time]);
      breachSince = null;
    }
  }
  if (breachSince !== null && last !== null && last > breachSince) episodes.push([breachSince, last]);
  if (lines[lines.length - 1]?.kind !== "end") throw new Error("the log has no end line: its period is unknown");
  return {
    ...totals,
    episodes,
    spreadCompliance: totals.spreadCompliantMs / totals.runningMs,
    twoSided: totals.twoSidedMs / totals.runningMs,
  };
}
