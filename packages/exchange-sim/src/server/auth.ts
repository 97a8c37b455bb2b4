// Request authentication exactly as Binance Spot does it (docs/binance-api.md, "Signing"): API key, timestamp and recvWindow,
// then the signature over the REST payload (percent-encoded, as sent) or the WS API payload (sorted, raw UTF-8).
import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import { ApiError, messages } from "./errors";

export type ApiCredential =
  | { apiKey: string; kind: "HMAC"; secret: string }
  | { apiKey: string; kind: "ED25519"; publicKey: KeyObject };

export type CredentialLookup = (apiKey: string) => ApiCredential | undefined;

export const defaultRecvWindowMs = 5000;
export const maxRecvWindowMs = 60000;
// Binance rejects timestamps before 2017-01-01 as malformed.
const earliestTimestampMs = Date.UTC(2017, 0, 1);
const apiKeyPattern = /^[A-Za-z0-9_-]{1,128}$/;

/** Accepts PEM, or a raw 32-byte key in base64 or hex. */
export function parseEd25519PublicKey(key: string): KeyObject {
  const trimmed = key.trim();
  if (trimmed.startsWith("-----BEGIN")) return createPublicKey(trimmed);
  const raw = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (raw.length !== 32) throw new Error("Ed25519 public key must be PEM or 32 raw bytes (hex or base64)");
  // SubjectPublicKeyInfo prefix for Ed25519 (RFC 8410).
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw]);
  return createPublicKey({ key: der, format: "der", type: "spki" });
}

export function hmacHex(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload, "utf8").digest("hex");
}

/** Resolves the credential for an API key, or rejects with -2014 / -2015. */
export function resolveApiKey(apiKey: string | undefined, lookup: CredentialLookup): ApiCredential {
  if (apiKey === undefined || apiKey === "" || !apiKeyPattern.test(apiKey)) {
    throw new ApiError(-2014, messages.badApiKeyFormat, 401);
  }
  const credential = lookup(apiKey);
  if (!credential) throw new ApiError(-2015, messages.rejectedApiKey, 401);
  return credential;
}

/** Timestamps may be sent in ms or µs; returns milliseconds. */
export function timestampMs(raw: string | undefined): number {
  if (raw === undefined || raw === "" || !/^\d{1,19}$/.test(raw)) {
    throw new ApiError(-1102, messages.mandatory("timestamp"));
  }
  const value = Number(raw);
  return value >= 1e14 ? value / 1000 : value;
}

export function recvWindowMs(raw: string | undefined): number {
  if (raw === undefined || raw === "") return defaultRecvWindowMs;
  if (!/^\d+(\.\d{1,3})?$/.test(raw)) throw new ApiError(-1102, messages.mandatory("recvWindow"));
  const value = Number(raw);
  if (value > maxRecvWindowMs) throw new ApiError(-1131, `recvWindow must be less than ${maxRecvWindowMs}`);
  return value;
}

/** The -1021 checks; run on receipt and again just before the matching engine. */
export function checkTimestamp(timestamp: number, recvWindow: number, serverTimeMs: number): void {
  if (timestamp >= serverTimeMs + 1000) throw new ApiError(-1021, messages.aheadOfServer);
  if (timestamp < earliestTimestampMs || serverTimeMs - timestamp > recvWindow) {
    throw new ApiError(-1021, messages.outsideRecvWindow);
  }
}

export function signatureMatches(credential: ApiCredential, payload: string, signature: string): boolean {
  if (credential.kind === "HMAC") {
    if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
    const expected = Buffer.from(hmacHex(credential.secret, payload), "hex");
    return timingSafeEqual(expected, Buffer.from(signature, "hex"));
  }
  const bytes = Buffer.from(signature, "base64");
  if (bytes.length !== 64) return false;
  return verify(null, Buffer.from(payload, "utf8"), credential.publicKey, bytes);
}

/**
 * The REST signing payload: query string then body, each exactly as sent (so percent-encoded), with the
 * `signature` parameter taken out of whichever part carried it.
 */
export function restSigningPayload(rawQuery: string, rawBody: string): string {
  return withoutSignature(rawQuery) + withoutSignature(rawBody);
}

function withoutSignature(part: string): string {
  if (part === "" || !part.includes("signature=")) return part;
  return part
    .split("&")
    .filter((pair) => !pair.startsWith("signature="))
    .join("&");
}

/** The WS API signing payload: every param except `signature`, sorted by name, `k=v` joined by `&`, no encoding. */
export function wsApiSigningPayload(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((name) => name !== "signature")
    .sort()
    .map((name) => `${name}=${wsParamText(params[name])}`)
    .join("&");
}

export function wsParamText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

export interface SignedRequest {
  apiKey: string | undefined;
  timestamp: string | undefined;
  recvWindow: string | undefined;
  signature: string | undefined;
  /** What the client signed. */
  payload: string;
}

export interface Authenticated {
  credential: ApiCredential;
  timestampMs: number;
  recvWindowMs: number;
}

/** Full check of a SIGNED request, in Binance's order: key, parameters, timing, signature. */
export function authenticate(request: SignedRequest, lookup: CredentialLookup, serverTimeMs: number): Authenticated {
  const credential = resolveApiKey(request.apiKey, lookup);
  const timestamp = timestampMs(request.timestamp);
  const recvWindow = recvWindowMs(request.recvWindow);
  if (request.signature === undefined || request.signature === "") {
    throw new ApiError(-1102, messages.mandatory("signature"));
  }
  checkTimestamp(timestamp, recvWindow, serverTimeMs);
  if (!signatureMatches(credential, request.payload, request.signature)) {
    throw new ApiError(-1022, messages.badSignature);
  }
  return { credential, timestampMs: timestamp, recvWindowMs: recvWindow };
}
