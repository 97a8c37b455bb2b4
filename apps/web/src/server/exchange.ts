// The web app's one door to the exchanges: where an account's venue answers, reading its account with the
// stored keys (to validate keys before they are saved, to show balances on demand) and the symbols it lists.
import {
  type Balance,
  BinanceApiError,
  type BinanceBaseUrls,
  BinanceBackoffError,
  type KeyType,
  type SigningCredentials,
  BinanceConnectionError,
  BinancePayloadError,
  BinanceUnknownOutcomeError,
  type SymbolInfo,
  VenueConfigError,
  accountBaseUrls,
  createBinanceClient,
  signingCredentials,
  type VenueAccount,
} from "@bandkeeper/binance";
import { Decimal, buildInstrument, type ExchangeFilterInput, type Instrument } from "@bandkeeper/core/money";
import { decryptSecret, parseEncryptionKey } from "@bandkeeper/db/crypto";
import { OutboundRefusedError } from "@bandkeeper/outbound";
import { env } from "~/env";
import { AppError } from "./errors";
import { fieldError } from "./field-error";
import { outboundFetch } from "./outbound";

// The venues an account can be added for, as the form offers them. DEMO is Binance's demo trading (real market
// data, paper funds; demo-api.binance.com).
export const ACCOUNT_VENUES = ["BINANCE_MAINNET", "BINANCE_DEMO", "BINANCE_TESTNET", "SIMULATOR"] as const;
export type AccountVenue = (typeof ACCOUNT_VENUES)[number];

export type VenueColumns = VenueAccount;

export function venueColumns(choice: AccountVenue): Omit<VenueColumns, "baseUrl"> {
  switch (choice) {
    case "BINANCE_MAINNET":
      return { venue: "BINANCE", environment: "MAINNET" };
    case "BINANCE_TESTNET":
      return { venue: "BINANCE", environment: "TESTNET" };
    case "BINANCE_DEMO":
      return { venue: "BINANCE", environment: "DEMO" };
    case "SIMULATOR":
      return { venue: "SIMULATOR", environment: "SIMULATOR" };
  }
}

// The engine's rule: a simulator account without an address of its own uses SIMULATOR_URL.
export function baseUrlsOf(account: VenueColumns): BinanceBaseUrls {
  try {
    return accountBaseUrls(account, env().SIMULATOR_URL);
  } catch (error) {
    if (error instanceof VenueConfigError) throw new AppError("INVALID_INPUT", "A Binance account in the SIMULATOR environment needs an address of its own.");
    throw error;
  }
}

// `what` names the secrets the caller stores under the key, for the message when there is none.
export function encryptionKey(what = "Exchange keys"): Buffer {
  const key = env().BANDKEEPER_ENCRYPTION_KEY;
  if (!key) {
    throw new AppError(
      "INVALID_INPUT",
      `${what} cannot be stored or read: the server has no BANDKEEPER_ENCRYPTION_KEY. Ask whoever runs it.`,
    );
  }
  return parseEncryptionKey(key);
}

export interface VenueBalances {
  canTrade: boolean;
  balances: Balance[];
}

/** An account's API key with what it signs with: an HMAC secret or an Ed25519 private key (PEM). */
export type VenueCredentials = { apiKey: string } & SigningCredentials;

// An address of the account's own (a proxy, a simulator elsewhere) is a user's URL: its calls go through the
// outbound policy. Binance's documented endpoints and the server's SIMULATOR_URL are the operator's.
function venueClient(account: VenueColumns, credentials?: VenueCredentials, timeoutMs = 8_000) {
  return createBinanceClient({
    baseUrls: baseUrlsOf(account),
    ...credentials,
    requestTimeoutMs: timeoutMs,
    ...(account.baseUrl === null ? {} : { fetch: outboundFetch() }),
  });
}

// GET /api/v3/account, signed with the keys: the one request that proves a key and secret belong together.
// A refusal becomes a field error on the key or the secret; no answer at all becomes VENUE_UNREACHABLE.
// `addressField`: the form field the account's address was typed in, when it is being saved.
export async function readVenueAccount(
  account: VenueColumns,
  credentials: VenueCredentials,
  addressField: string | null = null,
): Promise<VenueBalances> {
  const client = venueClient(account, credentials);
  try {
    const venueAccount = await client.rest.account(true);
    return { canTrade: venueAccount.canTrade, balances: venueAccount.balances };
  } catch (error) {
    throw venueFailure(error, client.baseUrls.rest, addressField, "ed25519PrivateKey" in credentials ? "ED25519" : "HMAC");
  }
}

export type VenueSymbol = { listed: false } | { listed: true; instrument: Instrument; midPrice: Decimal | null };

// The symbol as the account's venue lists it (exchangeInfo), with the book's mid price when there is one.
export async function readVenueSymbol(account: VenueColumns, symbol: string, timeoutMs = 8_000): Promise<VenueSymbol> {
  const client = venueClient(account, undefined, timeoutMs);
  try {
    const info = await client.rest.exchangeInfo({ symbol });
    const listed = info.symbols.find((entry) => entry.symbol === symbol);
    if (!listed) return { listed: false };
    const book = await client.rest.bookTicker(symbol).catch(() => null);
    const midPrice = book && book.bidPrice.gt(0) && book.askPrice.gt(0) ? book.bidPrice.plus(book.askPrice).div(2) : null;
    return { listed: true, instrument: instrumentOf(listed), midPrice };
  } catch (error) {
    // Binance answers an unknown symbol with -1121 "Invalid symbol.".
    if (error instanceof BinanceApiError && error.code === -1121) return { listed: false };
    throw venueFailure(error, client.baseUrls.rest, null, null);
  }
}

// Every symbol the account's venue lists as TRADING (exchangeInfo without a symbol), for picking a new bot's.
export async function readVenueSymbols(account: VenueColumns, timeoutMs = 8_000): Promise<Instrument[]> {
  const client = venueClient(account, undefined, timeoutMs);
  try {
    const info = await client.rest.exchangeInfo();
    return info.symbols.filter((entry) => entry.status === "TRADING").map(instrumentOf);
  } catch (error) {
    throw venueFailure(error, client.baseUrls.rest, null, null);
  }
}

function instrumentOf(info: SymbolInfo): Instrument {
  const filters = info.filters.map(
    (filter) =>
      Object.fromEntries(Object.entries(filter).map(([key, value]) => [key, Decimal.isDecimal(value) ? value.toFixed() : value])) as ExchangeFilterInput,
  );
  return buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters });
}

// Fixed texts: what a user's address answered, or how its connection failed, is never echoed back (it would tell
// an open port from a closed one). Binance's codes and the HTTP status are numbers the exchange documents.
// `keyType`: what the request was signed with, so a refused signature names the field it came from.
function venueFailure(error: unknown, restUrl: string, addressField: string | null, keyType: KeyType | null): Error {
  const refused = error instanceof OutboundRefusedError ? error : (error as { cause?: unknown }).cause;
  if (refused instanceof OutboundRefusedError) {
    if (addressField !== null) return fieldError(addressField, refused.refusal.message);
    return new AppError("INVALID_INPUT", `This account's address is not called: ${refused.refusal.message}`);
  }
  if (error instanceof BinanceApiError) {
    // Binance's codes: -1022 bad signature, -2014 malformed key, -2015 unknown key, IP not allowed or no permission.
    if (error.code === -1022 && keyType === "ED25519") {
      return fieldError(
        "ed25519PrivateKey",
        "The exchange rejected the signature: this private key does not belong to the API key (register its public key for it).",
      );
    }
    if (error.code === -1022) {
      return fieldError("apiSecret", "The exchange rejected the signature: this secret does not belong to the API key.");
    }
    if (error.code === -2014 || error.code === -2015) {
      return fieldError("apiKey", "The exchange does not accept this API key. Check the key, its IP allow-list and that it may read the account.");
    }
    if (error.code === -1021) {
      return new AppError("VENUE_UNREACHABLE", "The exchange refused the request's timestamp: this server's clock is off.");
    }
    const code = error.code === 0 ? "" : `, code ${error.code}`;
    return new AppError("VENUE_UNREACHABLE", `The exchange at ${restUrl} refused the request (HTTP ${error.httpStatus}${code}).`);
  }
  if (
    error instanceof BinanceConnectionError ||
    error instanceof BinanceUnknownOutcomeError ||
    error instanceof BinanceBackoffError ||
    error instanceof BinancePayloadError
  ) {
    return new AppError("VENUE_UNREACHABLE", `The exchange at ${restUrl} did not answer.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

// Decrypts a stored account's keys; only for a request to its venue, never for a response.
export function storedCredentials(account: { apiKeyCiphertext: string; apiSecretCiphertext: string; keyType: KeyType }): VenueCredentials {
  const key = encryptionKey();
  return {
    apiKey: decryptSecret(account.apiKeyCiphertext, key),
    ...signingCredentials(account.keyType, decryptSecret(account.apiSecretCiphertext, key)),
  };
}
