import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  authenticate,
  parseEd25519PublicKey,
  restSigningPayload,
  signatureMatches,
  wsApiSigningPayload,
  type ApiCredential,
} from "../../src/server/auth";
import { ApiError } from "../../src/server/errors";
import vectors from "./fixtures/signing_test_vectors.json";

const hmac: ApiCredential & { kind: "HMAC" } = { apiKey: vectors.hmac_key.apiKey, kind: "HMAC", secret: vectors.hmac_key.secretKey };
const lookup = (key: string) => (key === hmac.apiKey ? hmac : undefined);

function rejection(fn: () => unknown): { code: number; msg: string; httpStatus: number } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, msg: error.msg, httpStatus: error.httpStatus };
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("signature vectors", () => {
  it.each(vectors.rest_hmac)("REST HMAC over the percent-encoded payload ($signature)", ({ payload, signature }) => {
    expect(signatureMatches(hmac, payload, signature)).toBe(true);
    expect(signatureMatches(hmac, payload, signature.toUpperCase())).toBe(true);
    expect(signatureMatches(hmac, decodeURIComponent(payload), signature) && payload.includes("%")).toBe(false);
  });

  it.each(vectors.wsapi_hmac)("WS API HMAC over sorted raw params ($signature)", ({ payload, signature }) => {
    const params = Object.fromEntries(payload.split("&").map((pair) => pair.split("=") as [string, string]));
    const shuffled = Object.fromEntries(Object.entries({ ...params, signature }).reverse());
    expect(wsApiSigningPayload(shuffled)).toBe(payload);
    expect(signatureMatches(hmac, wsApiSigningPayload(shuffled), signature)).toBe(true);
  });

  it("WS API payload renders numbers as sent", () => {
    expect(wsApiSigningPayload({ timestamp: 1645423376532, recvWindow: 100, apiKey: "k", signature: "x" })).toBe(
      "apiKey=k&recvWindow=100&timestamp=1645423376532",
    );
  });
});

describe("REST signing payload", () => {
  it("is the query string then the body, without the signature, in the order sent", () => {
    expect(restSigningPayload("symbol=LTCBTC&side=BUY&signature=abc", "quantity=1&timestamp=2")).toBe(
      "symbol=LTCBTC&side=BUYquantity=1&timestamp=2",
    );
    expect(restSigningPayload("", "a=1&b=2&signature=ff")).toBe("a=1&b=2");
  });
});

describe("authenticate", () => {
  const payload = "symbol=BTCUSDT&timestamp=1700000000000";
  const now = 1700000000500;
  const good = {
    apiKey: hmac.apiKey,
    timestamp: "1700000000000",
    recvWindow: undefined,
    signature: createHmac("sha256", hmac.secret).update(payload).digest("hex"),
    payload,
  };

  it("accepts a good request", () => {
    expect(authenticate(good, lookup, now).credential.apiKey).toBe(hmac.apiKey);
  });

  it.each([
    [{ apiKey: undefined }, -2014, "API-key format invalid.", 401],
    [{ apiKey: "nope" }, -2015, "Invalid API-key, IP, or permissions for action.", 401],
    [{ timestamp: undefined }, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.", 400],
    [{ signature: undefined }, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.", 400],
    [{ signature: "00".repeat(32) }, -1022, "Signature for this request is not valid.", 400],
    [{ timestamp: "1699999990000" }, -1021, "Timestamp for this request is outside of the recvWindow.", 400],
    [{ timestamp: "1700000001500" }, -1021, "Timestamp for this request was 1000ms ahead of the server's time.", 400],
    [{ recvWindow: "70000" }, -1131, "recvWindow must be less than 60000", 400],
  ])("rejects %o with %i", (change, code, msg, httpStatus) => {
    expect(rejection(() => authenticate({ ...good, ...change }, lookup, now))).toEqual({ code, msg, httpStatus });
  });

  it("accepts a wider recvWindow and microsecond timestamps", () => {
    // The signed payload is unchanged here: only the timing inputs differ.
    expect(() => authenticate({ ...good, timestamp: "1699999990000", recvWindow: "20000" }, lookup, now)).not.toThrow();
    const micro = { ...good, timestamp: "1700000000000000" };
    expect(() => authenticate(micro, lookup, now)).not.toThrow();
  });

  it("verifies Ed25519 signatures with a registered public key", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("base64");
    const credential: ApiCredential = { apiKey: "edkey", kind: "ED25519", publicKey: parseEd25519PublicKey(pem) };
    const fromRaw: ApiCredential = { apiKey: "edkey", kind: "ED25519", publicKey: parseEd25519PublicKey(raw) };
    const signature = sign(null, Buffer.from(payload), privateKey).toString("base64");
    expect(signature).toHaveLength(88);
    expect(signatureMatches(credential, payload, signature)).toBe(true);
    expect(signatureMatches(fromRaw, payload, signature)).toBe(true);
    expect(signatureMatches(credential, payload + "&x=1", signature)).toBe(false);
  });
});
