// The bot's execution, balances and order budget over the simulated exchange, with a fixed one-way delay on every
// message: a request reaches the exchange `latencyMs` after the bot sent it, and the response and every user-data
// event reach the bot `latencyMs` after the exchange produced them. Messages travel as events on the replay's
// queue, so a run is ordered by simulated time only.
import { AccountRequestBudget, createIpBudget, type Clock, type OrderPriority, type BalancePort, type Balances, type ExecutionPort, type ExecutionReplies, type ExecutionUpdate, type OrderBudget, type PlaceRequest } from "@bandkeeper/core";
import { ExchangeError, type SimulatedExchange, type UserEvent } from "@bandkeeper/exchange-sim";
import { parseAccount, parseAccountTrades, parseQueriedOrder, parseUserDataEvent } from "@bandkeeper/binance";
import { executionUpdate } from "../exchange/execution-update";
import { AccountAssets, reportedStatus, tradeReports } from "../exchange/venue-rules";

/** Schedules `deliver` on the replay's queue at simulated time `time`. */
export type Scheduler = (time: number, deliver: () => void) => void;

/** The bot side of the link: request outcomes and the account's user-data stream. */
export interface LinkedBot extends ExecutionReplies {
  onExecutionUpdate(update: ExecutionUpdate): void;
}

export interface VenueLinkOptions {
  exchange: SimulatedExchange;
  accountId: string;
  baseAsset: string;
  quoteAsset: string;
  clock: Clock;
  schedule: Scheduler;
  latencyMs: number;
}

export class VenueLink implements ExecutionPort, BalancePort, OrderBudget {
  private bot: LinkedBot | undefined;
  private readonly assets = new AccountAssets();
  private readonly budget = new AccountRequestBudget(createIpBudget());
  private readonly off: () => void;

  constructor(private readonly options: VenueLinkOptions) {
    const { exchange, accountId } = options;
    // The simulator's answers are read by the exchange client's own parsers, as live reads Binance's.
    this.assets.fromSnapshot(parseAccount(exchange.account(accountId)).balances);
    this.off = exchange.onUserEvent(accountId, (event) => this.toBot(() => this.onUserEvent(event)));
  }

  /** The bot is built with this link as its ports, then connected to receive what comes back. */
  connect(bot: LinkedBot): void {
    this.bot = bot;
  }

  close(): void {
    this.off();
  }

  // ---- ExecutionPort ----------------------------------------------------------------------------------------

  place(request: PlaceRequest): void {
    const { exchange, accountId } = this.options;
    this.toExchange(() => {
      try {
        const response = exchange.placeOrder(accountId, {
          symbol: request.symbol,
          side: request.side,
          type: "LIMIT_MAKER",
          price: request.price.toFixed(),
          quantity: request.qty.toFixed(),
          newClientOrderId: request.clientOrderId,
          newOrderRespType: "ACK",
        });
        this.toBot(() => this.linked().onPlaceAcknowledged(request.clientOrderId, String(response.orderId)));
      } catch (error) {
        const { code, msg } = exchangeError(error);
        this.toBot(() => this.linked().onPlaceRejected(request.clientOrderId, code, msg));
      }
    });
  }

  cancel(symbol: string, clientOrderId: string): void {
    const { exchange, accountId } = this.options;
    this.toExchange(() => {
      try {
        exchange.cancelOrder(accountId, { symbol, origClientOrderId: clientOrderId });
        this.toBot(() => this.linked().onCancelAcknowledged(clientOrderId));
      } catch (error) {
        const { code, msg } = exchangeError(error);
        this.toBot(() => this.linked().onCancelRejected(clientOrderId, code, msg));
      }
    });
  }

  query(symbol: string, clientOrderId: string): void {
    const { exchange, accountId } = this.options;
    this.toExchange(() => {
      try {
        const order = parseQueriedOrder(exchange.queryOrder(accountId, { symbol, origClientOrderId: clientOrderId }));
        const report = { status: reportedStatus(order.status), exchangeOrderId: String(order.orderId), executedQty: order.executedQty };
        this.toBot(() => this.linked().onOrderStatus(clientOrderId, report));
      } catch (error) {
        const { code } = exchangeError(error);
        // Any other failure leaves the order as it was; the bot asks again on a later tick.
        if (code === -2013) this.toBot(() => this.linked().onOrderStatus(clientOrderId, "NOT_FOUND"));
      }
    });
  }

  fills(symbol: string, clientOrderId: string, exchangeOrderId: string): void {
    const { exchange, accountId } = this.options;
    this.toExchange(() => {
      try {
        const trades = tradeReports(parseAccountTrades(exchange.myTrades(accountId, { symbol, orderId: exchangeOrderId })));
        this.toBot(() => this.linked().onOrderTrades(clientOrderId, trades));
      } catch (error) {
        // Any failure leaves the order leaving; the next report asks again.
        exchangeError(error);
      }
    });
  }

  // ---- BalancePort and OrderBudget ----------------------------------------------------------------------------

  balances(): Balances | null {
    return this.assets.pair(this.options.baseAsset, this.options.quoteAsset);
  }

  /** The live engine's budget (costs and priorities of AccountRequestBudget), counted on the simulated clock. */
  tryConsume(kind: "place" | "cancel", now: number, priority?: OrderPriority): boolean {
    return this.budget.tryConsume(kind, now, priority);
  }

  // ---- the wire -----------------------------------------------------------------------------------------------

  private toExchange(run: () => void): void {
    this.options.schedule(this.options.clock.now() + this.options.latencyMs, run);
  }

  private toBot(run: () => void): void {
    this.options.schedule(this.options.clock.now() + this.options.latencyMs, run);
  }

  private linked(): LinkedBot {
    if (!this.bot) throw new Error("venue link used before a bot was connected");
    return this.bot;
  }

  /** The simulator's raw event read by the exchange client's own parser, then handled as live user data is. */
  private onUserEvent(raw: UserEvent): void {
    const event = parseUserDataEvent(raw);
    if (event.eventType === "outboundAccountPosition") {
      this.assets.onPosition(event.balances);
    } else if (event.eventType === "executionReport") {
      const update = executionUpdate(event);
      if (update) this.linked().onExecutionUpdate(update);
    }
  }
}


/** Expected failures are the exchange's `{code, msg}`; anything else is a broken simulation and propagates. */
function exchangeError(error: unknown): { code: number; msg: string } {
  if (error instanceof ExchangeError) return { code: error.code, msg: error.msg };
  throw error;
}
