-- CreateTable
CREATE TABLE "BotMarketSnapshot" (
    "botId" TEXT NOT NULL,
    "referencePrice" DECIMAL(36,18),
    "bestBid" DECIMAL(36,18),
    "bestAsk" DECIMAL(36,18),
    "marketTime" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotMarketSnapshot_pkey" PRIMARY KEY ("botId")
);

-- AddForeignKey
ALTER TABLE "BotMarketSnapshot" ADD CONSTRAINT "BotMarketSnapshot_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot"("id") ON DELETE CASCADE ON UPDATE CASCADE;
