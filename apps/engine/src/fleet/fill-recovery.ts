// What the user-data stream did not tell a bot: fills and order outcomes that happened while no engine listened
// (killed, crashed, lease moving between engines) or while the stream was down. Recovered from the exchange's
// own records (myTrades, order queries) and written through the journal, whose inserts are idempotent: a fill
// reported live and recovered again is still one row.
import { BinanceApiError, type AccountTrade, type QueriedOrder } from "@bandkeeper/binance";
import type { PrismaClient } from "@bandkeeper/db/client";
import type { AccountSession } from "../exchange/account-session";
import type { EngineJournal } from "../persistence/journal";

export interface FillRecoveryOptions {
  prisma: PrismaClient;
  journal: EngineJournal;
  session: AccountSession;
  bot: { id: string; exchangeAccountId: string; symbol: string };
  /** Client order ids this bot generates start with it, across restarts (see BotRuntime). */
  clientOrderIdPrefix: string;
  /** ...and this run's with this longer one. */
  runPrefix: string;
}

/** Statuses under which an order may still change on the exchange. */
const UNSETTLED = ["PENDING_NEW", "NEW", "PARTIALLY_FILLED", "PENDING_CANCEL", "UNKNOWN"] as const;
const CLOSED: ReadonlySet<string> = new Set(["FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH"]);
/** Orders looked up (database, then the exchange) per recovery run; the next run carries on from there. */
const MAX_ORDER_LOOKUPS = 50;
/** myTrades' page size; the maximum Binance allows. */
const PAGE = 1_000;

/** myTrades' widest window between startTime and endTime. */
const DAY_MS = 24 * 3_600_000;

export class FillRecovery {
  /**
   * The exchange time up to which trades were examined. Trades are read by time, never by id: a venue that
   * restarted its sequence numbers new trades below the old ones, but its clock still moves on.
   */
  private watermark: number | undefined;
  /** Trades examined at the watermark's millisecond, which the next read (from that millisecond on) sees again. */
  private readonly seenAtWatermark = new Set<string>();
  /** Answers per order, keyed with the trade's side and price too: a venue restarting its ids reuses the order id. */
  private readonly clientIds = new Map<string, string | null>();

  constructor(private readonly options: FillRecoveryOptions) {}

  /**
   * Journals every trade of this bot's orders on the exchange since the newest one recorded, and returns how
   * many it found. The first run starts from the database (a minute before the newest fill, for the clocks);
   * later runs from where the previous one stopped.
   */
  async recoverFills(): Promise<number> {
    const { prisma, session, bot } = this.options;
    if (this.watermark === undefined) {
      const [row] = await prisma.$queryRaw<{ last: Date | null }[]>`
        SELECT max(time) AS last FROM "Fill" WHERE "exchangeAccountId" = ${bot.exchangeAccountId} AND symbol = ${bot.symbol}`;
      if (row?.last) this.watermark = row.last.getTime() - CLOCK_SLACK_MS;
      else {
        // No fill yet: nothing older than the bot's first order can be its fill.
        const first = await prisma.order.findFirst({ where: { botId: bot.id }, orderBy: { placedAt: "asc" }, select: { placedAt: true } });
        if (!first) return 0;
        this.watermark = first.placedAt.getTime() - 1_000;
      }
    }
    let found = 0;
    let lookups = 0;
    for (;;) {
      const startTime = this.watermark;
      const endTime = startTime + DAY_MS - 1;
      const page = await session.client.rest.myTrades({ symbol: bot.symbol, startTime, endTime, limit: PAGE });
      for (const trade of page) {
        const key = `${trade.orderId}/${trade.id}`;
        if (trade.time <= this.watermark && this.seenAtWatermark.has(key)) continue;
        // Orders the journal does not know cost a query each; a run asks about a bounded number of them.
        const known = this.clientIds.has(orderCacheKey(trade));
        if (!known && lookups >= MAX_ORDER_LOOKUPS) return found;
        const clientOrderId = await this.clientOrderIdOf(trade);
        if (!known) lookups += 1;
        if (clientOrderId !== null) {
          this.record(trade, clientOrderId);
          found += 1;
        }
        if (trade.time > this.watermark) {
          this.watermark = trade.time;
          this.seenAtWatermark.clear();
        }
        this.seenAtWatermark.add(key);
      }
      // A full page: read on from its newest trade (unless a whole page shares one millisecond, never seen).
      if (page.length === PAGE) {
        if (this.watermark > startTime) continue;
        return found;
      }
      // The window reaches the present: done until the next run. Otherwise (a downtime longer than a day) the next.
      if (endTime >= Date.now() + CLOCK_SLACK_MS) return found;
      this.watermark = Math.max(this.watermark, endTime + 1);
    }
  }

  /**
   * Orders of earlier runs the journal still shows open (cancelled at start-up, or filled while no engine listened):
   * their state now, queried by client order id. Called after start-up and then every fill recovery round.
   */
  async settlePreviousOrders(): Promise<number> {
    const { prisma, session, bot, journal, runPrefix } = this.options;
    const rows = await prisma.order.findMany({
      where: { botId: bot.id, status: { in: [...UNSETTLED] }, NOT: { clientOrderId: { startsWith: runPrefix } } },
    });
    let settled = 0;
    for (const row of rows) {
      try {
        this.recordOrder(await session.client.rest.queryOrder(bot.symbol, { origClientOrderId: row.clientOrderId }));
      } catch (error) {
        // Unreachable (or refused during a 429's Retry-After): the next round tries again.
        if (!(error instanceof BinanceApiError && error.code === -2013)) continue;
        // The exchange never had it: the placement was lost with the engine that sent it.
        journal.recordOrder({
          botId: bot.id,
          exchangeAccountId: bot.exchangeAccountId,
          symbol: bot.symbol,
          clientOrderId: row.clientOrderId,
          side: row.side,
          type: row.type,
          price: row.price.toFixed(),
          quantity: row.quantity.toFixed(),
          executedQty: row.executedQty.toFixed(),
          cumulativeQuoteQty: row.cumulativeQuoteQty.toFixed(),
          status: "REJECTED",
          rejectReason: "not found on the exchange after a restart",
          placedAt: row.placedAt,
          closedAt: new Date(),
        });
      }
      settled += 1;
    }
    return settled;
  }


  private recordOrder(order: QueriedOrder): void {
    const { bot, journal } = this.options;
    journal.recordOrder({
      botId: bot.id,
      exchangeAccountId: bot.exchangeAccountId,
      symbol: bot.symbol,
      clientOrderId: order.clientOrderId,
      exchangeOrderId: String(order.orderId),
      side: order.side,
      type: "LIMIT_MAKER",
      price: order.price.toFixed(),
      quantity: order.origQty.toFixed(),
      executedQty: order.executedQty.toFixed(),
      cumulativeQuoteQty: order.cumulativeQuoteQty.toFixed(),
      status: order.status,
      placedAt: new Date(order.time),
      closedAt: CLOSED.has(order.status) ? new Date(order.updateTime) : undefined,
    });
  }

  private record(trade: AccountTrade, clientOrderId: string): void {
    const { bot, journal } = this.options;
    journal.recordFill({
      botId: bot.id,
      exchangeAccountId: bot.exchangeAccountId,
      symbol: bot.symbol,
      clientOrderId,
      tradeId: String(trade.id),
      exchangeOrderId: String(trade.orderId),
      side: trade.isBuyer ? "BUY" : "SELL",
      price: trade.price.toFixed(),
      quantity: trade.qty.toFixed(),
      quoteQty: trade.quoteQty.toFixed(),
      commission: trade.commission.toFixed(),
      commissionAsset: trade.commissionAsset,
      isMaker: trade.isMaker,
      time: new Date(trade.time),
    });
  }

  /** This bot's client order id for the trade's order, or null when the order is not this bot's. */
  private async clientOrderIdOf(trade: AccountTrade): Promise<string | null> {
    const cached = this.clientIds.get(orderCacheKey(trade));
    if (cached !== undefined) return cached;
    const { prisma, session, bot, clientOrderIdPrefix } = this.options;
    // A venue that restarted its id sequence hands an order id on record to a new order: a row only answers for
    // the trade when it alone was open at the trade's time, at its price and side.
    const rows = await prisma.order.findMany({
      where: { exchangeAccountId: bot.exchangeAccountId, symbol: bot.symbol, exchangeOrderId: String(trade.orderId) },
      select: { clientOrderId: true, botId: true, side: true, price: true, placedAt: true, closedAt: true },
      take: 10,
    });
    const candidates = rows.filter((row) => couldBeOrderOf(row, trade));
    const row = candidates.length === 1 ? candidates[0] : undefined;
    let clientOrderId: string | null;
    if (row) clientOrderId = row.botId === bot.id ? row.clientOrderId : null;
    else {
      // Placed but never journaled with its exchange id (the engine died before the flush), or the id is ambiguous:
      // ask the exchange, and journal the order too, so the fill has its order row.
      const order = await session.client.rest.queryOrder(bot.symbol, { orderId: trade.orderId });
      clientOrderId = order.clientOrderId.startsWith(clientOrderIdPrefix) ? order.clientOrderId : null;
      if (clientOrderId !== null && !clientOrderId.startsWith(this.options.runPrefix)) this.recordOrder(order);
    }
    this.clientIds.set(orderCacheKey(trade), clientOrderId);
    return clientOrderId;
  }
}

function orderCacheKey(trade: AccountTrade): string {
  return `${trade.orderId}/${trade.isBuyer ? "BUY" : "SELL"}/${trade.price.toFixed()}`;
}

/** Clocks of the exchange and of the engine that journaled the order may disagree by this much. */
const CLOCK_SLACK_MS = 60_000;

/** Whether a journaled order could have made this trade: same side and price, open at the trade's time. */
function couldBeOrderOf(
  row: { side: string; price: { toFixed(): string }; placedAt: Date; closedAt: Date | null },
  trade: AccountTrade,
): boolean {
  if (row.side !== (trade.isBuyer ? "BUY" : "SELL") || !trade.price.equals(row.price.toFixed())) return false;
  if (row.placedAt.getTime() - CLOCK_SLACK_MS > trade.time) return false;
  return row.closedAt === null || trade.time <= row.closedAt.getTime() + CLOCK_SLACK_MS;
}
