-- A venue that restarts its id sequences (a simulator started without its data) hands out order and trade ids
-- already on record. Neither may be a unique key, or the engine's journal hits a duplicate key and cannot write:
-- an order is (account, client order id), and a fill is a trade id within its order. The engine heartbeat carries
-- the journal's health, and records the database refuses for good are set aside in "JournalFailure".

-- DropIndex
DROP INDEX "Fill_exchangeAccountId_symbol_tradeId_key";

-- DropIndex
DROP INDEX "Fill_orderId_idx";

-- DropIndex
DROP INDEX "Order_exchangeAccountId_symbol_exchangeOrderId_key";

-- AlterTable
ALTER TABLE "EngineInstance" ADD COLUMN     "journalCaughtUpAt" TIMESTAMP(3),
ADD COLUMN     "journalLastError" TEXT,
ADD COLUMN     "journalLastErrorAt" TIMESTAMP(3),
ADD COLUMN     "journalPending" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "journalSetAside" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "JournalFailure" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recordKey" TEXT NOT NULL,
    "botId" TEXT,
    "code" TEXT,
    "error" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 1,
    "firstFailedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastFailedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JournalFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JournalFailure_botId_lastFailedAt_idx" ON "JournalFailure"("botId", "lastFailedAt");

-- CreateIndex
CREATE INDEX "JournalFailure_lastFailedAt_idx" ON "JournalFailure"("lastFailedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JournalFailure_kind_recordKey_key" ON "JournalFailure"("kind", "recordKey");

-- CreateIndex
CREATE INDEX "Fill_exchangeAccountId_symbol_tradeId_idx" ON "Fill"("exchangeAccountId", "symbol", "tradeId");

-- CreateIndex
CREATE UNIQUE INDEX "Fill_orderId_tradeId_key" ON "Fill"("orderId", "tradeId");

-- CreateIndex
CREATE INDEX "Order_exchangeAccountId_symbol_exchangeOrderId_idx" ON "Order"("exchangeAccountId", "symbol", "exchangeOrderId");
