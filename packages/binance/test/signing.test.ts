import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSigner, encodeRestParams, hmacSha256Hex, readEd25519PrivateKey, signingCredentials, wsApiSignaturePayload } from "../src/signing";
import { payload } from "./helpers";

interface Vectors {
  hmac_key: { apiKey: string; secretKey: string };
  rest_hmac: { payload: string; signature: string }[];
  wsapi_hmac: { payload: string; signature: string }[];
  wsapi_ed25519_docs_examples_unverifiable: { payload: string; signature: string };
}
const vectors = payload("signing_test_vectors.json") as Vectors;
const secret = vectors.hmac_key.secretKey;

describe("HMAC-SHA256 signing", () => {
  it.each(vectors.rest_hmac)("signs the REST vector $payload", ({ payload: p, signature }) => {
    expect(hmacSha256Hex(secret, p)).toBe(signature);
  });

  it.each(vectors.wsapi_hmac)("signs the WS API vector $payload", ({ payload: p, signature }) => {
    expect(createSigner({ apiSecret: secret }).sign(p)).toBe(signature);
  });

  it("builds the REST payload in the order sent, percent-encoded", () => {
    const built = encodeRestParams({
      symbol: "１２３４５６",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "1",
      price: "0.1",
      recvWindow: 5000,
      timestamp: 1499827319559,
      skipped: undefined,
    });
    expect(built).toBe(vectors.rest_hmac[1]?.payload);
  });

  it("builds the WS API payload sorted, apiKey included, signature excluded, not encoded", () => {
    const params = {
      symbol: "１２３４５６",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "1.00000000",
      price: "0.10000000",
      recvWindow: 5000,
      timestamp: 1645423376532,
      apiKey: vectors.hmac_key.apiKey,
      signature: "ignored",
    };
    const built = wsApiSignaturePayload(params);
    expect(built).toBe(vectors.wsapi_hmac[1]?.payload);
    expect(hmacSha256Hex(secret, built)).toBe(vectors.wsapi_hmac[1]?.signature);
  });
});

describe("Ed25519 signing", () => {
  it("produces an 88-character base64 signature that verifies with the public key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const signer = createSigner({
      ed25519PrivateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    });
    const p = vectors.wsapi_ed25519_docs_examples_unverifiable.payload;
    const signature = signer.sign(p);
    expect(signer.keyType).toBe("ED25519");
    expect(signature).toHaveLength(88);
    expect(verify(null, Buffer.from(p), publicKey, Buffer.from(signature, "base64"))).toBe(true);
    expect(verify(null, Buffer.from(`${p}x`), publicKey, Buffer.from(signature, "base64"))).toBe(false);
  });

  // Binance publishes no Ed25519 private key, so the known answers come from RFC 8032 section 7.1 (TEST 1 and 2):
  // Ed25519 is deterministic, so the same key and message must give exactly these signatures.
  it.each([
    ["9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "", "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"],
    ["4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "r", "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"],
  ])("signs the RFC 8032 vector of key %s", (seedHex, message, signatureHex) => {
    // PKCS#8 wrapping of a raw 32-byte Ed25519 seed.
    const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seedHex, "hex")]);
    const pem = createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }).toString();
    expect(createSigner({ ed25519PrivateKey: pem }).sign(message)).toBe(Buffer.from(signatureHex, "hex").toString("base64"));
  });

  it("rejects a key that is not Ed25519", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => createSigner({ ed25519PrivateKey: privateKey })).toThrow(/Ed25519/);
  });
});

describe("readEd25519PrivateKey", () => {
  it("returns the key as PKCS#8 PEM with the public key to register, which verifies its signatures", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const read = readEd25519PrivateKey(`\n  ${pem}  \n`);
    expect(read.privateKeyPem).toBe(pem);
    expect(read.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const signature = createSigner(signingCredentials("ED25519", read.privateKeyPem)).sign("a=1");
    expect(verify(null, Buffer.from("a=1"), createPublicKey(read.publicKeyPem), Buffer.from(signature, "base64"))).toBe(true);
    expect(signingCredentials("HMAC", "s")).toEqual({ apiSecret: "s" });
  });

  it.each([
    ["an HMAC secret", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", /must be a PEM private key/],
    ["a public key", generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString(), /must be a PEM private key/],
    ["a damaged key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", /not a readable PEM private key/],
    ["an RSA key", generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString(), /an RSA key, not an Ed25519 key/],
  ])("refuses %s", (_name, text, message) => {
    expect(() => readEd25519PrivateKey(text)).toThrow(message);
  });
});
