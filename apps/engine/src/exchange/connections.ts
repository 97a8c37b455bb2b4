// The exchange connections of one engine process: one AccountSession per account, opened on first use and shared
// by its bots; one MarketFeed per venue; per venue one request-weight budget and one backoff for the process's IP.
import type { MarketTapes } from "../persistence/market-tapes";
import { accountBaseUrls, BackoffGate, BinanceApiError, createBinanceClient, type SigningCredentials, type VenueAccount } from "@bandkeeper/binance";
import { createIpBudget, type Clock, type RateLimitBudget } from "@bandkeeper/core";
import type { Logger } from "../observability/log";
import type { ReadinessCheck } from "../observability/http";
import type { BalanceReading, ConnectionReading, EngineMetrics, RateLimitReading } from "../observability/metrics";
import { AccountSession } from "./account-session";
import { MarketFeed, type MarketFeedSettings } from "./market-feed";

/**
 * Answers that mean the account's keys were refused (unknown or revoked key, bad signature, key without the
 * permission): retrying soon does not help. -1002 unauthorized, -1022 bad signature, -2008 bad API key id (WebSocket
 * API), -2014 malformed key, -2015 rejected key.
 */
const AUTHENTICATION_CODES = new Set([-1002, -1022, -2008, -2014, -2015]);

/** The exchange's refusal of the account's credentials, if `error` is one. */
export function authenticationFailure(error: unknown): BinanceApiError | undefined {
  return error instanceof BinanceApiError && AUTHENTICATION_CODES.has(error.code) ? error : undefined;
}

export interface AccountCredentials extends VenueAccount {
  name: string;
  apiKey: string;
  /** The HMAC secret or the Ed25519 private key. */
  signing: SigningCredentials;
}

export interface ExchangeConnectionsOptions {
  clock: Clock;
  logger: Logger;
  metrics?: EngineMetrics | undefined;
  /** Where SIMULATOR accounts without a base URL of their own connect. */
  defaultSimulatorUrl: string;
  /** Market-data health and depth settings (tests shorten them); defaults in DEFAULT_MARKET_FEED_SETTINGS. */
  marketFeed?: Partial<MarketFeedSettings> | undefined;
  /** Where the market streams are recorded for replay; undefined records none. */
  marketTapes?: MarketTapes | undefined;
}

/** What every account this process trades on one venue shares, since the venue counts them by IP. */
interface VenueIpLimits {
  /** The gauges' scope: `ip` and the venue's host. */
  readonly scope: string;
  readonly budget: RateLimitBudget;
  /** A weight 429 or a 418 earned by one account's client holds back every account's client. */
  readonly backoff: BackoffGate;
}

export class ExchangeConnections {
  private readonly sessions = new Map<string, Promise<AccountSession>>();
  private readonly names = new Map<string, string>();
  private readonly feeds = new Map<string, MarketFeed>();
  private readonly opened = new Map<string, AccountSession>();
  /** By the venue's REST base URL. */
  private readonly venueLimits = new Map<string, VenueIpLimits>();
  private readonly stopReading: (() => void)[];

  constructor(private readonly options: ExchangeConnectionsOptions) {
    const { metrics } = options;
    this.stopReading = metrics
      ? [
          metrics.readRateLimitsFrom(() => this.rateLimitReadings()),
          metrics.readBalancesFrom(() => this.balanceReadings()),
          metrics.readConnectionsFrom(() => this.connectionReadings()),
        ]
      : [];
  }

  /** The account's session, connecting it on first use; a failed connection is retried on the next call. */
  session(accountId: string, credentials: () => Promise<AccountCredentials>): Promise<AccountSession> {
    let session = this.sessions.get(accountId);
    if (!session) {
      session = credentials().then((account) => this.open(accountId, account));
      this.sessions.set(accountId, session);
      session.catch(() => this.sessions.delete(accountId));
    }
    return session;
  }

  /** The market feed of the session's venue, shared by every bot that trades there. */
  feed(session: AccountSession): MarketFeed {
    const url = session.client.baseUrls.streams;
    let feed = this.feeds.get(url);
    if (!feed) {
      const { clock, logger, marketFeed, marketTapes } = this.options;
      const ipBudget = this.ipLimitsOf(session.client.baseUrls.rest).budget;
      feed = MarketFeed.forClient(session.client, {
        clock,
        // Snapshots, trade seeds and probes draw on the venue's IP weight like every other request, below its safety share.
        spendWeight: (weight) => ipBudget.tryConsume({ weight, rawRequests: 1 }, clock.now()).ok,
        ...(marketFeed === undefined ? {} : { settings: marketFeed }),
        ...(marketTapes === undefined ? {} : { tapes: marketTapes }),
        onError: (error, context) => logger.warn("market data error", { context, error }),
        onStatus: (symbol, status) =>
          status.live ? logger.info("market data live", { symbol }) : logger.warn("market data stale", { symbol, reason: status.reason }),
        onReconnect: () => this.options.metrics?.reconnects.inc({ connection: "market_stream", venue: venueOf(url), account: "" }),
      });
      this.feeds.set(url, feed);
    }
    return feed;
  }

  /** Rate-limit use per account (scope: the account's name) and per venue for the IP (scope `ip <host>`), for the gauges. */
  rateLimitReadings(): RateLimitReading[] {
    const now = this.options.clock.now();
    const label = (rule: { rateLimitType: string; intervalNum: number; interval: string }) => `${rule.rateLimitType}_${rule.intervalNum}${rule.interval}`;
    const ip = [...this.venueLimits.values()].flatMap(({ scope, budget }) => budget.usage(now).map(({ rule, used }) => ({ scope, limit: label(rule), used })));
    const accounts = [...this.opened].flatMap(([accountId, session]) =>
      session
        .rateLimitUsage(now)
        .filter((usage) => usage.scope === "account")
        .map(({ limit, used }) => ({ scope: this.names.get(accountId) ?? accountId, limit, used })),
    );
    return [...ip, ...accounts];
  }

  /** The account's name once its session has opened. */
  accountName(accountId: string): string | undefined {
    return this.names.get(accountId);
  }

  /** Every opened account's balances, by the account's name. */
  balanceReadings(): BalanceReading[] {
    return [...this.opened].flatMap(([accountId, session]) =>
      session.balanceList().map(({ asset, free, locked }) => ({ account: this.names.get(accountId) ?? accountId, asset, free: free.toNumber(), locked: locked.toNumber() })),
    );
  }

  /** The market stream of every venue and the WebSocket API of every opened account. */
  connectionReadings(): ConnectionReading[] {
    const markets = [...this.feeds].map(([url, feed]) => ({ connection: "market_stream" as const, venue: venueOf(url), account: "", connected: feed.connected }));
    const accounts = [...this.opened].map(([accountId, session]) => ({
      connection: "websocket_api" as const,
      venue: venueOf(session.client.baseUrls.rest),
      account: this.names.get(accountId) ?? accountId,
      connected: session.connected,
    }));
    return [...markets, ...accounts];
  }

  /** Ready while every venue's market stream carries frames (with no bot running there is nothing to connect). */
  marketReadiness(): ReadinessCheck {
    const down = [...this.feeds].filter(([, feed]) => !feed.connected).map(([url, feed]) => `${venueOf(url)}: ${feed.disconnectedReason ?? "down"}`);
    return down.length === 0 ? { ok: true, detail: `${this.feeds.size} market stream(s) connected` } : { ok: false, detail: `market stream down: ${down.join("; ")}` };
  }

  /**
   * Closes the account's session and forgets it, so the next use connects anew with credentials read again (after
   * the exchange refused them, a fixed key or a restored account must not meet the old connection).
   */
  async closeSession(accountId: string): Promise<void> {
    const session = this.sessions.get(accountId);
    this.sessions.delete(accountId);
    await (await session?.catch(() => undefined))?.stop();
  }

  async close(): Promise<void> {
    for (const stop of this.stopReading) stop();
    for (const feed of this.feeds.values()) await feed.stop();
    for (const session of this.sessions.values()) await (await session.catch(() => undefined))?.stop();
    this.feeds.clear();
    this.sessions.clear();
    this.opened.clear();
  }

  private async open(accountId: string, account: AccountCredentials): Promise<AccountSession> {
    const { logger, metrics, clock } = this.options;
    const baseUrls = accountBaseUrls(account, this.options.defaultSimulatorUrl);
    const venue = this.ipLimitsOf(baseUrls.rest);
    const client = createBinanceClient({
      baseUrls,
      apiKey: account.apiKey,
      ...account.signing,
      // Market events are stamped on the bots' clock, so latencies never mix two clocks.
      clock,
      sharedIpBackoff: venue.backoff,
    });
    const session = new AccountSession({
      accountId,
      client,
      clock,
      ipBudget: venue.budget,
      onError: (error, context) => logger.warn("exchange error", { account: account.name, context, error }),
      onAcknowledged: (kind, seconds) => metrics?.ackSeconds.observe({ account: account.name, kind }, seconds),
      onReconnect: () => metrics?.reconnects.inc({ connection: "websocket_api", venue: venueOf(baseUrls.rest), account: account.name }),
    });
    await session.start();
    this.names.set(accountId, account.name);
    this.opened.set(accountId, session);
    logger.info("exchange account connected", { account: account.name, rest: client.baseUrls.rest });
    return session;
  }

  private ipLimitsOf(restUrl: string): VenueIpLimits {
    let limits = this.venueLimits.get(restUrl);
    if (!limits) {
      limits = { scope: `ip ${new URL(restUrl).host}`, budget: createIpBudget(), backoff: new BackoffGate() };
      this.venueLimits.set(restUrl, limits);
    }
    return limits;
  }
}

/** A venue as the metrics name it: the host (and port) of its URL. */
function venueOf(url: string): string {
  return new URL(url).host;
}
