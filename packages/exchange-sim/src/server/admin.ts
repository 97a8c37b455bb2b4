// The simulator's own control surface under /admin (not part of Binance's API): fault switches, accounts and
// balances, symbol status, rate-limit settings, and a state dump.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SymbolStatus, Venue } from "../exchange/venue";
import { parseEd25519PublicKey } from "./auth";
import type { ServerContext } from "./context";
import type { RateLimitSettings } from "./rate-limits";
import { clientIp, readBody, send } from "./rest";

export interface AccountOptions {
  apiKey: string;
  /** HMAC secret; or give ed25519PublicKey (PEM, or 32 raw bytes in hex or base64). */
  apiSecret?: string;
  ed25519PublicKey?: string;
  balances: Record<string, string>;
}

export interface AdminHooks {
  /** Drops every stream and WS API connection once. */
  dropConnections(graceful: boolean): void;
  connectionCounts(): { streams: number; wsApi: number };
}

const symbolStatuses: readonly SymbolStatus[] = ["TRADING", "END_OF_DAY", "HALT", "BREAK", "CANCEL_ONLY"];

export class AdminRequestError extends Error {}

/** Registers an account with the core and its key with the transport. */
export function addAccount(context: ServerContext, options: AccountOptions): { accountId: string } {
  const hasSecret = typeof options.apiSecret === "string" && options.apiSecret !== "";
  const hasPublicKey = typeof options.ed25519PublicKey === "string" && options.ed25519PublicKey !== "";
  if (typeof options.apiKey !== "string" || options.apiKey === "") throw new AdminRequestError("apiKey is required");
  if (hasSecret === hasPublicKey) throw new AdminRequestError("give exactly one of apiSecret and ed25519PublicKey");
  if (typeof options.balances !== "object" || options.balances === null) {
    throw new AdminRequestError("balances must be an object of asset -> decimal string");
  }
  for (const [asset, amount] of Object.entries(options.balances)) {
    if (typeof amount !== "string" || !/^\d+(\.\d+)?$/.test(amount)) {
      throw new AdminRequestError(`balance ${asset} must be a non-negative decimal string`);
    }
  }
  if (context.keys.lookup(options.apiKey)) throw new AdminRequestError(`API key ${options.apiKey} already exists`);
  const secret = hasSecret ? (options.apiSecret as string) : (options.ed25519PublicKey as string);
  const kind = hasSecret ? "HMAC" : "ED25519";
  if (kind === "ED25519") {
    // Parsed before the core keeps it, so a bad public key creates nothing.
    try {
      parseEd25519PublicKey(secret);
    } catch (error) {
      throw new AdminRequestError(`ed25519PublicKey: ${(error as Error).message}`);
    }
  }
  const account = context.venue.createAccount({ apiKey: options.apiKey, secret, balances: options.balances });
  context.keys.register(options.apiKey, account.accountId, secret, kind);
  return { accountId: account.accountId };
}

export function symbolStates(venue: Venue): { symbol: string; status: SymbolStatus }[] {
  return venue.exchangeInfo().symbols.map(({ symbol, status }) => ({ symbol, status }));
}

export async function handleAdmin(
  context: ServerContext,
  hooks: AdminHooks,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = { "Content-Type": "application/json;charset=UTF-8" };
  const path = (req.url ?? "/").split("?")[0];
  try {
    const text = await readBody(req);
    const body: unknown = text === "" ? {} : JSON.parse(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new AdminRequestError("body must be a JSON object");
    }
    const input = body as Record<string, unknown>;
    const route = `${req.method ?? "GET"} ${path}`;
    switch (route) {
      case "GET /admin/state":
        send(res, 200, headers, state(context, hooks));
        return;
      case "POST /admin/faults":
        context.faults.apply(input);
        send(res, 200, headers, state(context, hooks));
        return;
      case "POST /admin/faults/reset":
        context.faults.reset();
        send(res, 200, headers, state(context, hooks));
        return;
      case "POST /admin/connections/drop":
        hooks.dropConnections(input.graceful === true);
        send(res, 200, headers, {});
        return;
      case "POST /admin/ban": {
        const ip = typeof input.ip === "string" ? input.ip : clientIp(req);
        const durationMs = typeof input.durationMs === "number" ? input.durationMs : undefined;
        const bannedUntil = context.limiter.banIp(ip, context.now(), durationMs);
        send(res, 200, headers, { ip, bannedUntil });
        return;
      }
      case "POST /admin/rate-limits":
        context.limiter.configure(rateLimitPatch(input));
        if (input.reset === true) context.limiter.reset();
        send(res, 200, headers, { rateLimits: context.limiter.limits });
        return;
      case "POST /admin/accounts":
        send(res, 200, headers, addAccount(context, input as unknown as AccountOptions));
        return;
      case "POST /admin/accounts/revoke": {
        if (typeof input.apiKey !== "string") throw new AdminRequestError("apiKey is required");
        if (!context.keys.revoke(input.apiKey)) throw new AdminRequestError(`unknown API key ${input.apiKey}`);
        send(res, 200, headers, {});
        return;
      }
      case "POST /admin/balances": {
        const { apiKey, asset, delta } = input;
        if (typeof apiKey !== "string" || typeof asset !== "string" || typeof delta !== "string") {
          throw new AdminRequestError("apiKey, asset and delta (decimal string) are required");
        }
        const key = context.keys.lookup(apiKey);
        if (!key) throw new AdminRequestError(`unknown API key ${apiKey}`);
        context.venue.adjustBalance(key.accountId, asset, delta);
        send(res, 200, headers, context.venue.account(key.accountId, true));
        return;
      }
      case "POST /admin/symbols/status": {
        const { symbol, status } = input;
        if (typeof symbol !== "string" || !symbolStatuses.includes(status as SymbolStatus)) {
          throw new AdminRequestError(`symbol and status (${symbolStatuses.join("|")}) are required`);
        }
        context.venue.setSymbolStatus(symbol, status as SymbolStatus);
        send(res, 200, headers, { symbols: symbolStates(context.venue) });
        return;
      }
      default:
        send(res, 404, headers, { error: `no admin route ${route}` });
    }
  } catch (error) {
    send(res, 400, headers, { error: error instanceof Error ? error.message : String(error) });
  }
}

function state(context: ServerContext, hooks: AdminHooks): unknown {
  return {
    serverTime: context.now(),
    faults: context.faults.settings,
    rateLimits: context.limiter.limits,
    connections: hooks.connectionCounts(),
    symbols: symbolStates(context.venue),
  };
}

const rateLimitKeys: readonly (keyof RateLimitSettings)[] = [
  "requestWeightPerMinute",
  "ordersPer10Seconds",
  "ordersPerDay",
  "rawRequestsPer5Minutes",
  "connectionsPer5Minutes",
  "requestsAfter429BeforeBan",
  "firstBanMs",
  "maxBanMs",
];

function rateLimitPatch(input: Record<string, unknown>): Partial<RateLimitSettings> {
  const patch: Partial<RateLimitSettings> = {};
  for (const [name, value] of Object.entries(input)) {
    if (name === "reset") continue;
    if (!rateLimitKeys.includes(name as keyof RateLimitSettings)) throw new AdminRequestError(`unknown rate limit ${name}`);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new AdminRequestError(`rate limit ${name} must be a non-negative integer`);
    }
    patch[name as keyof RateLimitSettings] = value;
  }
  return patch;
}
