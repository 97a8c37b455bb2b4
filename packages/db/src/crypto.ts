// Secrets at rest (exchange API keys, webhook secrets): AES-256-GCM with a random 96-bit IV per encryption.
// Stored form: "v1.<iv>.<tag>.<ciphertext>", each part base64url, so the format can evolve (key rotation) later.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EncryptionKeyError";
  }
}

export class DecryptionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DecryptionError";
  }
}

/**
 * Parses a 32-byte key given as 64 hex characters or as base64 (standard or url-safe). The message names no
 * variable: callers add theirs (BANDKEEPER_ENCRYPTION_KEY).
 */
export function parseEncryptionKey(value: string): Buffer {
  const text = value.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) key = Buffer.from(text, "base64");
  if (key?.length !== KEY_BYTES) {
    throw new EncryptionKeyError(
      `encryption key must be ${KEY_BYTES} random bytes written as base64 (44 characters) or hex (64 characters); ` +
        `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return key;
}

export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new EncryptionKeyError(`encryption key must be ${KEY_BYTES} bytes`);
}

export function encryptSecret(plaintext: string, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** Throws DecryptionError for a wrong key, a tampered value or an unknown format; never returns garbage. */
export function decryptSecret(stored: string, key: Buffer): string {
  assertKey(key);
  const parts = stored.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError("unrecognised encrypted secret format");
  const [, iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, "base64url")) as [Buffer, Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError("malformed encrypted secret");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new DecryptionError("cannot decrypt secret: wrong key or tampered data", { cause: error });
  }
}

/**
 * What the dashboard shows instead of an API key: its ends for long keys (exchange keys are 64 characters),
 * a hash prefix for short ones, whose ends would give too much away.
 */
export function fingerprint(apiKey: string): string {
  if (apiKey.length >= 20) return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
  return `sha256:${createHash("sha256").update(apiKey).digest("hex").slice(0, 8)}`;
}
