// The web app's one door to the exchanges: where an account's venue answers, and reading its account with the
// stored keys. Used to validate keys before they are saved and to show balances on demand.
import {
  type Balance,
  BinanceApiError,
  type BinanceBaseUrls,
  BinanceBackoffError,
  BinanceConnectionError,
  BinanceUnknownOutcomeError,
  VenueConfigError,
  accountBaseUrls,
  createBinanceClient,
  type VenueAccount,
} from "@bandkeeper/binance";
import { decryptSecret, parseEncryptionKey } from "@bandkeeper/db/crypto";
import { env } from "~/env";
import { AppError } from "./errors";
import { fieldError } from "./field-error";

// The venues an account can be added for, as the form offers them.
export const ACCOUNT_VENUES = ["BINANCE_MAINNET", "BINANCE_TESTNET", "SIMULATOR"] as const;
export type AccountVenue = (typeof ACCOUNT_VENUES)[number];

export type VenueColumns = VenueAccount;

export function venueColumns(choice: AccountVenue): Omit<VenueColumns, "baseUrl"> {
  switch (choice) {
    case "BINANCE_MAINNET":
      return { venue: "BINANCE", environment: "MAINNET" };
    case "BINANCE_TESTNET":
      return { venue: "BINANCE", environment: "TESTNET" };
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

export function encryptionKey(): Buffer {
  const key = env().BANDKEEPER_ENCRYPTION_KEY;
  if (!key) {
    throw new AppError(
      "INVALID_INPUT",
      "Exchange keys cannot be stored or read: the server has no BANDKEEPER_ENCRYPTION_KEY. Ask whoever runs it.",
    );
  }
  return parseEncryptionKey(key);
}

export interface VenueBalances {
  canTrade: boolean;
  balances: Balance[];
}

// GET /api/v3/account, signed with the keys: the one request that proves a key and secret belong together.
// A refusal becomes a field error on the key or the secret; no answer at all becomes VENUE_UNREACHABLE.
export async function readVenueAccount(
  baseUrls: BinanceBaseUrls,
  credentials: { apiKey: string; apiSecret: string },
): Promise<VenueBalances> {
  const client = createBinanceClient({ baseUrls, ...credentials, requestTimeoutMs: 8_000 });
  try {
    const account = await client.rest.account(true);
    return { canTrade: account.canTrade, balances: account.balances };
  } catch (error) {
    throw venueFailure(error, baseUrls.rest);
  }
}

function venueFailure(error: unknown, restUrl: string): Error {
  if (error instanceof BinanceApiError) {
    // Binance's codes: -1022 bad signature, -2014 malformed key, -2015 unknown key, IP not allowed or no permission.
    if (error.code === -1022) {
      return fieldError("apiSecret", "The exchange rejected the signature: this secret does not belong to the API key.");
    }
    if (error.code === -2014 || error.code === -2015) {
      return fieldError(
        "apiKey",
        `The exchange does not accept this API key (${error.msg}). Check the key, its IP allow-list and that it may read the account.`,
      );
    }
    if (error.code === -1021) {
      return new AppError("VENUE_UNREACHABLE", "The exchange refused the request's timestamp: this server's clock is off.");
    }
    return new AppError("VENUE_UNREACHABLE", `The exchange refused the request: ${error.msg} (${error.code}).`);
  }
  if (
    error instanceof BinanceConnectionError ||
    error instanceof BinanceUnknownOutcomeError ||
    error instanceof BinanceBackoffError
  ) {
    return new AppError("VENUE_UNREACHABLE", `The exchange at ${restUrl} did not answer (${error.message}).`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

// Decrypts a stored account's keys; only for a request to its venue, never for a response.
export function storedCredentials(account: { apiKeyCiphertext: string; apiSecretCiphertext: string }) {
  const key = encryptionKey();
  return {
    apiKey: decryptSecret(account.apiKeyCiphertext, key),
    apiSecret: decryptSecret(account.apiSecretCiphertext, key),
  };
}
