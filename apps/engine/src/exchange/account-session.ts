// One exchange account as the engine uses it: one authenticated WebSocket API connection (orders and user data)
// with REST as the fallback, the account's balances as the user-data stream reports them, and the order budgets
// every bot on the account shares. Bots register by symbol; user-data events are routed to the bot of their symbol.
import {
  BinanceApiError,
  BinanceUnknownOutcomeError,
  type BinanceClient,
  type BinanceWsApi,
  type RateLimitReport,
  type UserDataEvent,
} from "@bandkeeper/binance";
import { AccountRequestBudget, type Decimal, type RateLimitBudget, type RequestBudgetUsage, type Clock, type Bot, type ExchangeOpenOrder, type BalancePort, type ExecutionPort, type ExecutionReplies, type OrderBudget, type PlaceRequest } from "@bandkeeper/core";
import { executionUpdate } from "./execution-update";
import { AccountAssets, reportedStatus, tradeReports } from "./venue-rules";

export interface AccountSessionOptions {
  accountId: string;
  client: BinanceClient;
  clock: Clock;
  /** The IP-wide budget, shared by every account this process trades. */
  ipBudget: RateLimitBudget;
  onError?: (error: Error, context: string) => void;
  /** Request sent to the exchange's acknowledgement, in seconds (for the latency histogram). */
  onAcknowledged?: (kind: "place" | "cancel", seconds: number) => void;
  /** The WebSocket API connection was opened again after its first (for the reconnect counter). */
  onReconnect?: () => void;
}

export class AccountSession {
  private wsApi: BinanceWsApi | undefined;
  private readonly bots = new Map<string, Bot>();
  private readonly assets = new AccountAssets();
  private readonly requests: AccountRequestBudget;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly options: AccountSessionOptions) {
    this.requests = new AccountRequestBudget(options.ipBudget);
  }

  get accountId(): string {
    return this.options.accountId;
  }

  get client(): BinanceClient {
    return this.options.client;
  }

  async start(): Promise<void> {
    const { client } = this.options;
    // Every response's usage counts and 429/418 refusals reach the budgets, so they count what the exchange counts.
    this.unsubscribe.push(client.onRateLimitReport((report) => this.learnRateLimits(report)));
    // Signed requests need the server-time offset; after that the balances and the connection load together.
    await client.rest.syncTime();
    const wsApi = client.wsApi({ userDataStream: true });
    this.unsubscribe.push(
      wsApi.onUserData((event) => this.onUserData(event)),
      wsApi.onError((error) => this.options.onError?.(error, "websocket api")),
      wsApi.onStatus((change) => {
        if (change.status === "open" && change.connections > 1) this.options.onReconnect?.();
      }),
    );
    let account: Awaited<ReturnType<BinanceClient["rest"]["account"]>>;
    try {
      this.requests.record("account", this.options.clock.now());
      [account] = await Promise.all([client.rest.account(), wsApi.start()]);
    } catch (error) {
      await this.stopConnection(wsApi);
      throw error;
    }
    this.assets.fromSnapshot(account.balances);
    this.wsApi = wsApi;
  }

  /** Whether the WebSocket API connection (orders and user data) is open now. */
  get connected(): boolean {
    return this.wsApi?.status === "open";
  }

  /** The account's balances as the exchange last reported them. */
  balanceList(): { asset: string; free: Decimal; locked: Decimal }[] {
    return this.assets.all();
  }

  async stop(): Promise<void> {
    if (this.wsApi) await this.stopConnection(this.wsApi);
    this.wsApi = undefined;
  }

  private async stopConnection(wsApi: BinanceWsApi): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await wsApi.stop();
  }

  register(symbol: string, bot: Bot): () => void {
    this.bots.set(symbol, bot);
    return () => {
      if (this.bots.get(symbol) === bot) this.bots.delete(symbol);
    };
  }

  balancesFor(baseAsset: string, quoteAsset: string): BalancePort {
    return { balances: () => this.assets.pair(baseAsset, quoteAsset) };
  }

  /** The account's order-count windows and its IP's, as used now, for the rate-limit gauges. */
  rateLimitUsage(now: number): RequestBudgetUsage[] {
    return this.requests.usage(now);
  }

  /** The budget every bot of the account draws its orders and cancels from (costs and priorities in core). */
  budget(): OrderBudget {
    return this.requests;
  }

  /** One bot's view of it: its new orders held to a fair share of each window while its neighbours need theirs. */
  budgetFor(botId: string): OrderBudget & { leave(): void } {
    return this.requests.forBot(botId);
  }

  private learnRateLimits(report: RateLimitReport): void {
    if (report.kind === "usage") this.requests.learnUsage(report.counts, this.options.clock.now());
    else this.requests.learnRefusal(report.limit, report.retryAt);
  }

  /** The bot's order path: the WebSocket API while it is connected, REST otherwise. Outcomes go to `bot`. */
  executionFor(bot: ExecutionReplies): ExecutionPort {
    const { client } = this.options;
    const report = (error: unknown, context: string) => this.options.onError?.(asError(error), context);
    return {
      place: (request: PlaceRequest) => {
        const params = {
          symbol: request.symbol,
          side: request.side,
          type: "LIMIT_MAKER" as const,
          price: request.price,
          quantity: request.qty,
          newClientOrderId: request.clientOrderId,
          newOrderRespType: "ACK" as const,
        };
        const sentAt = this.options.clock.now();
        const sent = this.wsApiOpen() ? this.wsApi!.placeOrder(params) : client.rest.placeOrder(params);
        sent.then(
          (response) => {
            this.options.onAcknowledged?.("place", (this.options.clock.now() - sentAt) / 1_000);
            bot.onPlaceAcknowledged(request.clientOrderId, String(response.orderId));
          },
          (error: unknown) => {
            if (isOutcomeUnknown(error)) bot.onPlaceOutcomeUnknown(request.clientOrderId, asError(error).message);
            else if (error instanceof BinanceApiError) bot.onPlaceRejected(request.clientOrderId, error.code, error.msg);
            else {
              // Refused before sending (backoff, not connected): the order was never placed.
              bot.onPlaceRejected(request.clientOrderId, null, asError(error).message);
              report(error, "place");
            }
          },
        );
      },
      cancel: (symbol: string, clientOrderId: string) => {
        const params = { symbol, order: { origClientOrderId: clientOrderId } };
        const sentAt = this.options.clock.now();
        const sent = this.wsApiOpen() ? this.wsApi!.cancelOrder(params) : client.rest.cancelOrder(params);
        sent.then(
          () => {
            this.options.onAcknowledged?.("cancel", (this.options.clock.now() - sentAt) / 1_000);
            bot.onCancelAcknowledged(clientOrderId);
          },
          (error: unknown) => {
            if (error instanceof BinanceApiError && !isOutcomeUnknown(error)) bot.onCancelRejected(clientOrderId, error.code, error.msg);
            // Unknown or unsent: the order stays PENDING_CANCEL and the bot queries it on its next tick.
            else report(error, "cancel");
          },
        );
      },
      query: (symbol: string, clientOrderId: string) => {
        // A query can wait: the bot asks again on a later tick, and the last share of the weight stays for restores.
        const allowed = this.requests.tryRequest("queryOrder", this.options.clock.now(), "REQUOTE");
        if (!allowed.ok) {
          report(new Error(`query of ${clientOrderId} deferred: ${allowed.reason === "BANNED" ? "the exchange refused" : "rate limit"} until ${allowed.retryAt}`), "query");
          return;
        }
        client.rest.queryOrder(symbol, { origClientOrderId: clientOrderId }).then(
          (order) => bot.onOrderStatus(clientOrderId, { status: reportedStatus(order.status), exchangeOrderId: String(order.orderId), executedQty: order.executedQty }),
          (error: unknown) => {
            if (error instanceof BinanceApiError && error.code === -2013) bot.onOrderStatus(clientOrderId, "NOT_FOUND");
            else report(error, "query");
          },
        );
      },
      fills: (symbol: string, clientOrderId: string, exchangeOrderId: string) => {
        // The order's trades, when its trade events never reached us: a recovery path, rare, weight 5.
        this.requests.record("queryOrder", this.options.clock.now());
        client.rest.myTrades({ symbol, orderId: Number(exchangeOrderId) }).then(
          (trades) => bot.onOrderTrades(clientOrderId, tradeReports(trades)),
          // The order stays leaving; the next status report asks again.
          (error: unknown) => report(error, "order trades"),
        );
      },
    };
  }

  async openOrders(symbol: string): Promise<ExchangeOpenOrder[]> {
    this.requests.record("openOrders", this.options.clock.now());
    const orders = await this.options.client.rest.openOrders(symbol);
    return orders.map((order) => ({
      clientOrderId: order.clientOrderId,
      exchangeOrderId: String(order.orderId),
      status: reportedStatus(order.status),
      executedQty: order.executedQty,
      side: order.side,
      price: order.price,
      origQty: order.origQty,
    }));
  }

  /** Emergency stop: every open order of the account on these symbols, cancelled by the exchange in one call each. */
  async cancelEverything(symbols: readonly string[]): Promise<void> {
    await Promise.all(
      symbols.map((symbol) => {
        this.requests.record("cancelAllOpenOrders", this.options.clock.now());
        return this.options.client.rest.cancelAllOpenOrders(symbol).catch((error: unknown) => {
          // -2011: nothing was open.
          if (!(error instanceof BinanceApiError && error.code === -2011)) throw error;
        });
      }),
    );
  }

  private wsApiOpen(): boolean {
    return this.wsApi?.status === "open";
  }

  private onUserData(event: UserDataEvent): void {
    switch (event.eventType) {
      case "executionReport": {
        const bot = this.bots.get(event.symbol);
        const update = executionUpdate(event);
        if (bot && update) bot.onExecutionUpdate(update);
        break;
      }
      case "outboundAccountPosition":
        this.assets.onPosition(event.balances);
        break;
      case "balanceUpdate":
      case "eventStreamTerminated":
      case "other":
        break;
    }
  }
}



function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof BinanceUnknownOutcomeError) return true;
  // 5xx and -1007: the request reached the exchange, which cannot say what became of it.
  return error instanceof BinanceApiError && (error.httpStatus >= 500 || error.code === -1007);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
