-- CreateTable
CREATE TABLE "BotMarketSample" (
    "botId" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "referencePrice" DECIMAL(36,18),
    "bidBandLow" DECIMAL(36,18),
    "bidBandHigh" DECIMAL(36,18),
    "askBandLow" DECIMAL(36,18),
    "askBandHigh" DECIMAL(36,18),
    "bestBid" DECIMAL(36,18),
    "bestAsk" DECIMAL(36,18),
    "ourBid" DECIMAL(36,18),
    "ourAsk" DECIMAL(36,18),

    CONSTRAINT "BotMarketSample_pkey" PRIMARY KEY ("botId","time")
);

-- CreateTable
CREATE TABLE "BotMarketMinute" (
    "botId" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "referencePrice" DECIMAL(36,18),
    "bidBandLow" DECIMAL(36,18),
    "bidBandHigh" DECIMAL(36,18),
    "askBandLow" DECIMAL(36,18),
    "askBandHigh" DECIMAL(36,18),
    "bestBid" DECIMAL(36,18),
    "bestAsk" DECIMAL(36,18),
    "ourBid" DECIMAL(36,18),
    "ourAsk" DECIMAL(36,18),

    CONSTRAINT "BotMarketMinute_pkey" PRIMARY KEY ("botId","minute")
);

-- CreateIndex
CREATE INDEX "BotMarketSample_time_idx" ON "BotMarketSample" USING BRIN ("time");

-- CreateIndex
CREATE INDEX "BotMarketMinute_minute_idx" ON "BotMarketMinute" USING BRIN ("minute");

-- AddForeignKey
ALTER TABLE "BotMarketSample" ADD CONSTRAINT "BotMarketSample_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BotMarketMinute" ADD CONSTRAINT "BotMarketMinute_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot"("id") ON DELETE CASCADE ON UPDATE CASCADE;
