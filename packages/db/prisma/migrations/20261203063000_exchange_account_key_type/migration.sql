-- Issue 13: an exchange account signs with an HMAC secret or an Ed25519 private key. The key type is stored beside
-- the key; apiSecretCiphertext holds either secret (the Ed25519 key as PKCS#8 PEM), encrypted the same way.
-- Accounts saved before this migration are HMAC.

-- CreateEnum
CREATE TYPE "ExchangeKeyType" AS ENUM ('HMAC', 'ED25519');

-- AlterTable
ALTER TABLE "ExchangeAccount" ADD COLUMN     "keyType" "ExchangeKeyType" NOT NULL DEFAULT 'HMAC';
