-- CreateEnum
CREATE TYPE "ChangeReplayStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED', 'NO_DATA');

-- CreateTable
CREATE TABLE "ChangeRequestReplay" (
    "id" TEXT NOT NULL,
    "changeRequestId" TEXT NOT NULL,
    "status" "ChangeReplayStatus" NOT NULL DEFAULT 'PENDING',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "baseConfig" JSONB NOT NULL,
    "dataFrom" TIMESTAMP(3),
    "dataTo" TIMESTAMP(3),
    "baseReport" JSONB,
    "proposedReport" JSONB,
    "proposedHtml" TEXT,
    "message" TEXT,
    "claimedBy" TEXT,
    "wallMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ChangeRequestReplay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRequestReplay_changeRequestId_key" ON "ChangeRequestReplay"("changeRequestId");

-- CreateIndex
CREATE INDEX "ChangeRequestReplay_status_createdAt_idx" ON "ChangeRequestReplay"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "ChangeRequestReplay" ADD CONSTRAINT "ChangeRequestReplay_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "ChangeRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
