import { createHmac, createPrivateKey, createPublicKey, type KeyObject, sign } from "node:crypto";

/** Signs a request payload; the key type decides the encoding of the signature. */
export interface RequestSigner {
  readonly keyType: "HMAC" | "ED25519";
  sign(payload: string): string;
}

export type SigningCredentials = { apiSecret: string } | { ed25519PrivateKey: string | KeyObject };

/** How an account signs: Binance's HMAC-SHA256 keys or Ed25519 keys (RSA keys are not supported). */
export type KeyType = "HMAC" | "ED25519";

/** An account's stored secret as the client takes it: the HMAC secret, or the Ed25519 private key in PEM. */
export function signingCredentials(keyType: KeyType, secret: string): SigningCredentials {
  return keyType === "HMAC" ? { apiSecret: secret } : { ed25519PrivateKey: secret };
}

/**
 * Reads an Ed25519 private key given as PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----", as Binance's key generator and
 * `openssl genpkey -algorithm ed25519` write it). Returns it re-encoded as PKCS#8 PEM with its public key (the one to
 * register with the exchange); throws an Error saying what is wrong otherwise.
 */
export function readEd25519PrivateKey(pem: string): { privateKeyPem: string; publicKeyPem: string } {
  const text = pem.trim();
  if (!text.startsWith("-----BEGIN") || !text.includes("PRIVATE KEY-----")) {
    throw new Error("must be a PEM private key (-----BEGIN PRIVATE KEY----- ...)");
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new Error("is not a readable PEM private key");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`is ${key.asymmetricKeyType === undefined ? "not an asymmetric" : `an ${key.asymmetricKeyType.toUpperCase()}`} key, not an Ed25519 key`);
  }
  return {
    privateKeyPem: key.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKeyPem: createPublicKey(key).export({ format: "pem", type: "spki" }).toString(),
  };
}

export type ParamValue = string | number | boolean;
export type RequestParams = Record<string, ParamValue | undefined>;

export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload, "utf8").digest("hex");
}

/** base64 of the 64-byte Ed25519 signature over the payload's UTF-8 bytes (88 characters). */
export function ed25519SignBase64(privateKey: KeyObject, payload: string): string {
  return sign(null, Buffer.from(payload, "utf8"), privateKey).toString("base64");
}

export function createSigner(credentials: SigningCredentials): RequestSigner {
  if ("apiSecret" in credentials) {
    const secret = credentials.apiSecret;
    return { keyType: "HMAC", sign: (payload) => hmacSha256Hex(secret, payload) };
  }
  const key =
    typeof credentials.ed25519PrivateKey === "string"
      ? createPrivateKey(credentials.ed25519PrivateKey)
      : credentials.ed25519PrivateKey;
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`expected an Ed25519 private key, got ${key.asymmetricKeyType ?? "a symmetric key"}`);
  }
  return { keyType: "ED25519", sign: (payload) => ed25519SignBase64(key, payload) };
}

function definedEntries(params: RequestParams): [string, ParamValue][] {
  return Object.entries(params).filter((e): e is [string, ParamValue] => e[1] !== undefined);
}

/**
 * REST payload: parameters in the order given, each value percent-encoded. The same string is both signed and
 * sent, which is what Binance verifies since 2026-01-15.
 */
export function encodeRestParams(params: RequestParams): string {
  return definedEntries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`)
    .join("&");
}

/** RFC 3986 percent-encoding: encodeURIComponent plus the five reserved marks it leaves alone. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** WebSocket API payload: every param but `signature` (apiKey included), sorted by name, raw UTF-8, not encoded. */
export function wsApiSignaturePayload(params: RequestParams): string {
  return definedEntries(params)
    .filter(([k]) => k !== "signature")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join("&");
}
