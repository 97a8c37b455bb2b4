import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  DecryptionError,
  encryptSecret,
  EncryptionKeyError,
  fingerprint,
  generateEncryptionKey,
  parseEncryptionKey,
} from "../src/crypto";

const key = randomBytes(32);
const secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

function flipCharAt(text: string, index: number): string {
  const char = text[index] === "A" ? "B" : "A";
  return text.slice(0, index) + char + text.slice(index + 1);
}

describe("encryptSecret / decryptSecret", () => {
  it("round-trips, including non-ASCII text", () => {
    expect(decryptSecret(encryptSecret(secret, key), key)).toBe(secret);
    expect(decryptSecret(encryptSecret("clé ☃", key), key)).toBe("clé ☃");
  });

  it("gives a different, versioned ciphertext each time and never contains the plaintext", () => {
    const first = encryptSecret(secret, key);
    const second = encryptSecret(secret, key);
    expect(first).not.toBe(second);
    expect(first.startsWith("v1.")).toBe(true);
    expect(first).not.toContain(secret);
  });

  it.each([
    ["the ciphertext", 3],
    ["the auth tag", 2],
    ["the IV", 1],
  ])("rejects a value whose %s was tampered with", (_part, index) => {
    const parts = encryptSecret(secret, key).split(".");
    parts[index] = flipCharAt(parts[index]!, 0);
    expect(() => decryptSecret(parts.join("."), key)).toThrow(DecryptionError);
  });

  it("rejects the wrong key and unknown formats", () => {
    const stored = encryptSecret(secret, key);
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow(DecryptionError);
    expect(() => decryptSecret(stored.replace(/^v1/, "v9"), key)).toThrow(DecryptionError);
    expect(() => decryptSecret("not encrypted", key)).toThrow(DecryptionError);
  });
});

describe("parseEncryptionKey", () => {
  it("accepts 32 bytes as base64, url-safe base64 or hex", () => {
    expect(parseEncryptionKey(key.toString("base64")).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString("base64url")).equals(key)).toBe(true);
    expect(parseEncryptionKey(` ${key.toString("hex")}\n`).equals(key)).toBe(true);
    expect(parseEncryptionKey(generateEncryptionKey())).toHaveLength(32);
  });

  it.each(["", "short", randomBytes(16).toString("base64"), randomBytes(33).toString("hex"), "é".repeat(44)])(
    "rejects %j with a message explaining the expected form",
    (value) => {
      expect(() => parseEncryptionKey(value)).toThrow(EncryptionKeyError);
      expect(() => parseEncryptionKey(value)).toThrow(/32 random bytes/);
    },
  );
});

describe("fingerprint", () => {
  it("shows only the ends of a long key", () => {
    expect(fingerprint(secret)).toBe("NhqP…Tj0j");
  });

  it("shows a hash prefix for a short key, never the key", () => {
    const print = fingerprint("short-key");
    expect(print).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(print).not.toContain("short");
    expect(fingerprint("short-key")).toBe(print);
  });
});
