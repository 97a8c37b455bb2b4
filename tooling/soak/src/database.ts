// What Postgres holds after the soak: the rows the comparison needs, the engines' own KPI view of two-sided
// presence, and how much the event table grew.
import { createPrismaClient } from "@bandkeeper/db/client";
import type { DbFill, DbOrder } from "./compare";

export interface DatabaseRecord {
  orders: DbOrder[];
  fills: DbFill[];
  /** Per bot: the KPI minute rows' twoSidedMs / runningMs (the engines' own measure). */
  kpiTwoSided: { botId: string; runningS: number; twoSided: number | null }[];
  botEvents: number;
  /** Every event row's bot and time (epoch ms), for the fault phase's event rate. */
  botEventTimes: { botId: string; time: number }[];
  botStates: { botId: string; actualState: string; stateReason: string | null }[];
}

export async function readDatabase(databaseUrl: string): Promise<DatabaseRecord> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const [orders, fills, kpis, botEvents, bots, eventTimes] = await Promise.all([
      prisma.order.findMany({ orderBy: { placedAt: "asc" } }),
      prisma.fill.findMany(),
      prisma.kpiBucket.groupBy({ by: ["botId"], _sum: { runningMs: true, twoSidedMs: true } }),
      prisma.botEvent.count(),
      prisma.bot.findMany({ select: { id: true, actualState: true, stateReason: true }, orderBy: { createdAt: "asc" } }),
      prisma.botEvent.findMany({ select: { botId: true, time: true } }),
    ]);
    return {
      orders: orders.map((o) => ({
        id: o.id,
        exchangeAccountId: o.exchangeAccountId,
        symbol: o.symbol,
        clientOrderId: o.clientOrderId,
        exchangeOrderId: o.exchangeOrderId,
        status: o.status,
        quantity: o.quantity.toString(),
        executedQty: o.executedQty.toString(),
        rejectReason: o.rejectReason,
        placedAt: o.placedAt.toISOString(),
        closedAt: o.closedAt?.toISOString() ?? null,
      })),
      fills: fills.map((f) => ({
        orderId: f.orderId,
        exchangeAccountId: f.exchangeAccountId,
        symbol: f.symbol,
        tradeId: f.tradeId,
        exchangeOrderId: f.exchangeOrderId,
        quantity: f.quantity.toString(),
      })),
      kpiTwoSided: kpis.map((k) => {
        const running = k._sum.runningMs ?? 0;
        return { botId: k.botId, runningS: running / 1000, twoSided: running === 0 ? null : Math.round(((k._sum.twoSidedMs ?? 0) / running) * 100_000) / 100_000 };
      }),
      botEvents,
      botEventTimes: eventTimes.map((e) => ({ botId: e.botId, time: e.time.getTime() })),
      botStates: bots.map((b) => ({ botId: b.id, actualState: b.actualState, stateReason: b.stateReason })),
    };
  } finally {
    await prisma.$disconnect();
  }
}

/** The bot events that name each client order id (e.g. "order X is not ours: cancelling it"): what happened to it. */
export async function eventsNaming(databaseUrl: string, clientOrderIds: readonly string[]): Promise<Map<string, string[]>> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const named = new Map<string, string[]>();
    for (const id of new Set(clientOrderIds)) {
      const events = await prisma.botEvent.findMany({ where: { reason: { contains: id } }, orderBy: { time: "asc" }, take: 5 });
      named.set(id, events.map((event) => `${event.time.toISOString()} ${event.type}: ${event.reason ?? ""}`));
    }
    return named;
  } finally {
    await prisma.$disconnect();
  }
}
