// What every transport (REST, streams, WS API, admin) shares: the exchange core, the rate limiter, the fault
// switches, the API keys, and the rule that an acknowledgement goes out before the user-data events it caused.
import type { AccountId, UserEvent, Venue } from "../exchange/venue";
import { parseEd25519PublicKey, type ApiCredential } from "./auth";
import type { FaultInjector } from "./faults";
import type { MarketHistory } from "./market-history";
import type { RateLimiter } from "./rate-limits";

export interface RegisteredKey {
  credential: ApiCredential;
  accountId: AccountId;
}

/** API keys known to the transport, with the key type the core does not track. */
export class ApiKeyRegistry {
  private readonly keys = new Map<string, RegisteredKey>();
  private readonly revoked = new Set<string>();
  private readonly accountListeners = new Set<(accountId: AccountId) => void>();
  private readonly revokeListeners = new Set<(apiKey: string) => void>();

  constructor(private readonly venue: Venue) {}

  /** Hears every account the first time one of its keys is registered. */
  onNewAccount(listener: (accountId: AccountId) => void): void {
    this.accountListeners.add(listener);
  }

  register(apiKey: string, accountId: AccountId, secretOrPublicKey: string, kind: "HMAC" | "ED25519"): void {
    const credential: ApiCredential =
      kind === "HMAC"
        ? { apiKey, kind, secret: secretOrPublicKey }
        : { apiKey, kind, publicKey: parseEd25519PublicKey(secretOrPublicKey) };
    const known = [...this.keys.values()].some((key) => key.accountId === accountId);
    this.keys.set(apiKey, { credential, accountId });
    if (!known) for (const listener of this.accountListeners) listener(accountId);
  }

  /** Hears every key revoked from now on (the state store keeps them revoked across restarts). */
  onRevoke(listener: (apiKey: string) => void): void {
    this.revokeListeners.add(listener);
  }

  /** A revoked key is unknown from now on: requests with it get -2015, logged-on sessions included. */
  revoke(apiKey: string): boolean {
    const known = this.lookup(apiKey) !== undefined;
    this.revoked.add(apiKey);
    for (const listener of this.revokeListeners) listener(apiKey);
    return known;
  }

  isRevoked(apiKey: string): boolean {
    return this.revoked.has(apiKey);
  }

  lookup(apiKey: string): RegisteredKey | undefined {
    if (this.revoked.has(apiKey)) return undefined;
    const known = this.keys.get(apiKey);
    if (known) return known;
    // Accounts the core created without us (e.g. by its own fixtures): an HMAC secret, or a PEM public key.
    const account = this.venue.accountByApiKey(apiKey);
    if (!account) return undefined;
    const kind = account.secret.startsWith("-----BEGIN") ? "ED25519" : "HMAC";
    this.register(apiKey, account.accountId, account.secret, kind);
    return this.keys.get(apiKey);
  }
}

/**
 * Holds back user-data events raised while a request is being executed, so that the response is written first,
 * then the events, as a client of the real exchange sees them.
 */
export class UserEventGate {
  private depth = 0;
  private held: (() => void)[] = [];

  run<T>(work: () => T): T {
    this.depth += 1;
    try {
      return work();
    } finally {
      this.depth -= 1;
    }
  }

  deliver(send: () => void): void {
    if (this.depth > 0) this.held.push(send);
    else send();
  }

  /** Sends everything held back; call after writing the response. */
  flush(): void {
    if (this.depth > 0 || this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const send of held) send();
  }
}

/** Injected-latency waits that the server can cut short when it closes. */
export class LatencyTimers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  /** Resolves true after `ms`, or false at once if the server is closing (the request is then dropped). */
  wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(!this.closed);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  close(): void {
    this.closed = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}

export interface ServerContext {
  venue: Venue;
  latency: LatencyTimers;
  limiter: RateLimiter;
  faults: FaultInjector;
  keys: ApiKeyRegistry;
  userEvents: UserEventGate;
  /** The trades behind klines, aggregate trades and 24-hour statistics. */
  history: MarketHistory;
  /** Server time in ms, clock skew included. */
  now(): number;
}

/** Subscribes to an account's user data with the delay and drop faults applied. */
export function subscribeUserEvents(
  context: ServerContext,
  accountId: AccountId,
  deliver: (event: UserEvent) => void,
  timers: Set<NodeJS.Timeout>,
): () => void {
  return context.venue.onUserEvent(accountId, (event) => {
    if (context.faults.takeUserDataDrop()) return;
    const delayMs = context.faults.settings.userDataDelayMs;
    context.userEvents.deliver(() => {
      if (delayMs <= 0) {
        deliver(event);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        deliver(event);
      }, delayMs);
      timers.add(timer);
    });
  });
}
