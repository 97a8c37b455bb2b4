// Connection-free pieces only; the client, migrations, Postgres and seed live behind their own subpaths
// (@bandkeeper/db/client, /migrate, /postgres, /seed, /testing).
export { decryptSecret, DecryptionError, encryptSecret, EncryptionKeyError, fingerprint, generateEncryptionKey, parseEncryptionKey } from "./crypto";
export * from "./enums";
export * from "./notify";
